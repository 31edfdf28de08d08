using System.Globalization;
using Analytics.Models.Randomness;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Triangulate;

namespace Analytics.Jobs.Demo;

/// <summary>A town centre: communes cluster around it and its population peaks there.</summary>
/// <param name="Block">Index of the block it stands in.</param>
/// <param name="Centre">Lambert-93 position of the centre.</param>
/// <param name="CommuneIndex">The commune whose site is the centre.</param>
/// <param name="Size">Heavy-tailed (Pareto) size; peak density and reach grow with it.</param>
/// <param name="Radius">No other commune centre is closer than this, so the central commune is large.</param>
public sealed record DemoTown(int Block, Coordinate Centre, double Size, double Radius, int CommuneIndex);

/// <summary>A grouping of communes before it has a geometry: its members and its parent.</summary>
public sealed record DemoGroup(DemoLevel Level, string Code, string Name, string? ParentCode, IReadOnlyList<int> Members);

/// <summary>What the tessellation produced: communes with codes, and their groupings.</summary>
public sealed record DemoLayout(IReadOnlyList<DemoCommune> Communes, IReadOnlyList<DemoTown> Towns, IReadOnlyList<DemoGroup> Groups);

/// <summary>
/// Builds the territories. Each block's communes are the Voronoi cells (NetTopologySuite's
/// <see cref="VoronoiDiagramBuilder"/>) of clustered sites inside the land outline; sites are also
/// scattered over the sea around it, and their cells are dropped, so the coast is the jagged edge
/// of the kept cells and no cell is ever clipped. Neighbouring cells therefore share their edges
/// vertex for vertex, départements, EPCI and régions are unions of whole communes, and nesting is
/// exact. The island is a single land site ringed by sea sites.
/// </summary>
internal static class TerritoryGenerator
{
    private const double ClusteredShare = 0.3;

    public static DemoLayout Build(DemoScale scale, ulong seed)
    {
        var communes = new List<DemoCommune>();
        var towns = new List<DemoTown>();
        var groups = new List<DemoGroup>();
        var takenNames = new HashSet<string>(StringComparer.Ordinal);
        var epciSequence = 0;
        for (var b = 0; b < scale.Blocks.Count; b++)
        {
            var block = scale.Blocks[b];
            var random = SeededRandom.Derive(seed, "territories/" + block.Key);
            var first = communes.Count;
            TessellateBlock(block, b, random, communes, towns);
            var members = Enumerable.Range(first, communes.Count - first).ToArray();
            GroupBlock(block, members, communes, random, groups, takenNames, ref epciSequence);
        }
        return new DemoLayout(communes, towns, groups);
    }

    private static void TessellateBlock(DemoBlock block, int blockIndex, SeededRandom random, List<DemoCommune> communes, List<DemoTown> towns)
    {
        var land = block.Outline;
        var inLand = new IndexedPointInAreaLocator(land);
        bool IsLand(double x, double y) => inLand.Locate(new Coordinate(x, y)) == Location.Interior;
        var spacing = Math.Sqrt(land.Area / block.Communes);
        var minimumDistance = 0.35 * spacing;
        var envelope = land.EnvelopeInternal;
        var sites = new SiteSet(minimumDistance);

        // Town centres first, far enough apart for each to own a large central commune.
        var townSpecs = new List<(Coordinate Centre, double Size, double Radius, int Site)>();
        var attempts = 0;
        while (townSpecs.Count < block.Towns && attempts++ < 100_000)
        {
            var x = random.NextDouble(envelope.MinX, envelope.MaxX);
            var y = random.NextDouble(envelope.MinY, envelope.MaxY);
            var size = Math.Min(random.NextPareto(1, 1.0), 1_000);
            var radius = Math.Max(minimumDistance * 1.5, 0.35 * spacing * Math.Pow(size, 0.3));
            if (!IsLand(x, y) || land.Boundary.Distance(new Point(x, y)) < radius)
                continue;
            if (townSpecs.Any(t => Hypot(t.Centre.X - x, t.Centre.Y - y) < t.Radius + radius + spacing))
                continue;
            townSpecs.Add((new Coordinate(x, y), size, radius, sites.Coordinates.Count));
            sites.Add(x, y, SiteKind.Land);
        }
        // Largest towns first, so their order is meaningful (the biggest is the capital).
        townSpecs = [.. townSpecs.OrderByDescending(t => t.Size)];

        bool FarFromTowns(double x, double y) => townSpecs.All(t => Hypot(t.Centre.X - x, t.Centre.Y - y) >= t.Radius);

        // Suburbs cluster around towns (weighted by size), the rest is spread over the countryside.
        var weights = townSpecs.Select(t => Math.Pow(t.Size, 0.7)).ToArray();
        var totalWeight = weights.Sum();
        attempts = 0;
        while (sites.LandCount < block.Communes && attempts++ < 5_000_000)
        {
            double x, y;
            if (random.NextDouble() < ClusteredShare && townSpecs.Count > 0)
            {
                var t = townSpecs[Pick(weights, totalWeight, random)];
                var distance = t.Radius + Math.Abs(random.NextGaussian()) * 1.5 * t.Radius;
                var angle = random.NextDouble(0, 2 * Math.PI);
                x = t.Centre.X + distance * Math.Cos(angle);
                y = t.Centre.Y + distance * Math.Sin(angle);
            }
            else
            {
                x = random.NextDouble(envelope.MinX, envelope.MaxX);
                y = random.NextDouble(envelope.MinY, envelope.MaxY);
            }
            if (IsLand(x, y) && sites.IsFree(x, y) && FarFromTowns(x, y))
                sites.Add(x, y, SiteKind.Land);
        }

        Coordinate? island = null;
        if (block.Island)
        {
            island = IslandSite(land, spacing);
            sites.Add(island.X, island.Y, SiteKind.Island);
            for (var i = 0; i < 8; i++)
            {
                var angle = Math.PI * i / 4 + Math.PI / 8;
                sites.Add(island.X + 0.6 * spacing * Math.Cos(angle), island.Y + 0.6 * spacing * Math.Sin(angle), SiteKind.Sea);
            }
        }

        // Sea sites on a jittered grid around the land: they close the coastal cells.
        var margin = 3 * spacing;
        for (var gx = envelope.MinX - margin; gx <= envelope.MaxX + margin; gx += spacing)
            for (var gy = envelope.MinY - margin; gy <= envelope.MaxY + margin; gy += spacing)
            {
                var x = gx + random.NextDouble(-0.35, 0.35) * spacing;
                var y = gy + random.NextDouble(-0.35, 0.35) * spacing;
                if (IsLand(x, y) || !sites.IsFree(x, y))
                    continue;
                if (island is not null && Hypot(island.X - x, island.Y - y) < 1.2 * spacing)
                    continue;
                sites.Add(x, y, SiteKind.Sea);
            }

        var builder = new VoronoiDiagramBuilder();
        builder.SetSites(sites.Coordinates);
        var clip = new Envelope(envelope);
        clip.ExpandBy(margin * 2);
        builder.ClipEnvelope = clip;
        var diagram = builder.GetDiagram(DemoOutlines.Factory);

        var siteIndex = new Dictionary<Coordinate, int>();
        for (var i = 0; i < sites.Coordinates.Count; i++)
            siteIndex[sites.Coordinates[i]] = i;
        var communeOfSite = new Dictionary<int, int>();
        var cells = new List<(int Site, Polygon Cell)>();
        for (var g = 0; g < diagram.NumGeometries; g++)
        {
            var cell = (Polygon)diagram.GetGeometryN(g);
            var site = siteIndex[(Coordinate)cell.UserData];
            if (sites.Kinds[site] != SiteKind.Sea)
                cells.Add((site, cell));
        }
        // Stable order: by site position, never by the diagram's internal order.
        cells.Sort((a, b) => sites.Coordinates[a.Site].CompareTo(sites.Coordinates[b.Site]));
        foreach (var (site, cell) in cells)
        {
            var polygon = (Polygon)DemoOutlines.Factory.CreatePolygon(cell.Shell.Coordinates).Normalized();
            communeOfSite[site] = communes.Count;
            communes.Add(new DemoCommune
            {
                Index = communes.Count,
                Block = blockIndex,
                Geometry = ForceCounterClockwise(polygon),
                IsIsland = sites.Kinds[site] == SiteKind.Island,
            });
        }

        // Neighbours from the Delaunay edges: land cells are never clipped, so a Delaunay edge is a shared border.
        var adjacency = new Dictionary<int, SortedSet<int>>();
        var edges = builder.GetSubdivision().GetEdges(DemoOutlines.Factory);
        for (var e = 0; e < edges.NumGeometries; e++)
        {
            var line = (LineString)edges.GetGeometryN(e);
            if (!siteIndex.TryGetValue(line.GetCoordinateN(0), out var a) || !siteIndex.TryGetValue(line.GetCoordinateN(1), out var b))
                continue;
            if (!communeOfSite.TryGetValue(a, out var ca) || !communeOfSite.TryGetValue(b, out var cb))
                continue;
            (adjacency.TryGetValue(ca, out var la) ? la : adjacency[ca] = []).Add(cb);
            (adjacency.TryGetValue(cb, out var lb) ? lb : adjacency[cb] = []).Add(ca);
        }
        foreach (var (commune, neighbours) in adjacency)
            communes[commune].Neighbours = [.. neighbours];

        foreach (var t in townSpecs)
            towns.Add(new DemoTown(blockIndex, t.Centre, t.Size, t.Radius, communeOfSite[t.Site]));
    }

    // Straight out to sea from the westernmost point of the coast, far enough that no land cell reaches it.
    private static Coordinate IslandSite(Polygon land, double spacing)
    {
        var west = land.Shell.Coordinates.MinBy(c => c.X)!;
        var centre = land.Centroid.Coordinate;
        var dx = west.X - centre.X;
        var dy = west.Y - centre.Y;
        var norm = Hypot(dx, dy);
        for (var distance = 2 * spacing; ; distance += spacing / 2)
        {
            var candidate = new Coordinate(west.X + dx / norm * distance, west.Y + dy / norm * distance);
            if (land.Distance(new Point(candidate)) > 2.5 * spacing)
                return candidate;
        }
    }

    private static void GroupBlock(DemoBlock block, int[] members, List<DemoCommune> communes, SeededRandom random,
        List<DemoGroup> groups, HashSet<string> takenNames, ref int epciSequence)
    {
        var names = new FrenchNames(random);
        var xs = communes.Select(c => c.Centre.X).ToArray();
        var ys = communes.Select(c => c.Centre.Y).ToArray();
        var neighbours = communes.Select(c => c.Neighbours).ToArray();

        // Départements: contiguous groups of communes.
        var departementOf = GraphPartition.Partition(members, xs, ys, neighbours, block.DepartementCodes.Count, random);
        var departements = Enumerable.Range(0, block.DepartementCodes.Count)
            .Select(d => members.Where((_, i) => departementOf[i] == d).ToArray()).ToArray();

        // Régions: contiguous groups of départements.
        var regionOfDepartement = RegionsOfDepartements(departements, xs, ys, communes, block.RegionCodes.Count, random);

        // Codes follow alphabetical order of names, as INSEE's historical numbering does.
        var departementNames = names.Distinct(departements.Length, block.Overseas ? () => "Île-" + names.Commune(true).Replace(' ', '-') : names.Departement, takenNames)
            .OrderBy(FrenchNames.SortKey, StringComparer.Ordinal).ToList();
        var regionNames = names.Distinct(block.RegionCodes.Count, names.Region, takenNames).OrderBy(FrenchNames.SortKey, StringComparer.Ordinal).ToList();
        for (var r = 0; r < block.RegionCodes.Count; r++)
        {
            var regionMembers = members.Where((_, i) => regionOfDepartement[departementOf[i]] == r).ToArray();
            groups.Add(new DemoGroup(DemoLevel.Region, block.RegionCodes[r], block.Overseas ? departementNames[0] : regionNames[r], null, regionMembers));
        }

        var epciCounts = Apportion(block.Epcis, departements.Select(d => d.Length).ToArray());
        for (var d = 0; d < departements.Length; d++)
        {
            var code = block.DepartementCodes[d];
            var regionCode = block.RegionCodes[regionOfDepartement[d]];
            var deptMembers = departements[d];
            groups.Add(new DemoGroup(DemoLevel.Departement, code, departementNames[d], regionCode, deptMembers));

            var communeNames = names.Distinct(deptMembers.Length, () => names.Commune(block.Overseas))
                .OrderBy(FrenchNames.SortKey, StringComparer.Ordinal).ToList();
            // Names are dealt to communes in a random order, then numbered alphabetically.
            var dealt = deptMembers.ToList();
            random.Shuffle(dealt);
            var digits = code.Length == 3 ? "00" : "000";
            for (var i = 0; i < dealt.Count; i++)
            {
                var commune = communes[dealt[i]];
                commune.Name = communeNames[i];
                commune.Code = code + (i + 1).ToString(digits, CultureInfo.InvariantCulture);
                commune.DepartementCode = code;
                commune.RegionCode = regionCode;
                commune.Overseas = block.Overseas;
            }

            var epciOf = GraphPartition.Partition(deptMembers, xs, ys, neighbours, epciCounts[d], random);
            var siren = "24" + (code.Length == 3 ? code : (code.StartsWith('2') && !char.IsDigit(code[1]) ? "20" : code).PadLeft(3, '0'));
            for (var e = 0; e < epciCounts[d]; e++)
            {
                var epciMembers = deptMembers.Where((_, i) => epciOf[i] == e).ToArray();
                var epciCode = siren + (++epciSequence).ToString("0000", CultureInfo.InvariantCulture);
                foreach (var m in epciMembers)
                    communes[m].EpciCode = epciCode;
                // Named later, after its most populous commune.
                groups.Add(new DemoGroup(DemoLevel.Epci, epciCode, "", code, epciMembers));
            }
        }
    }

    private static int[] RegionsOfDepartements(int[][] departements, double[] xs, double[] ys, List<DemoCommune> communes, int regions, SeededRandom random)
    {
        var k = departements.Length;
        if (regions <= 1)
            return new int[k];
        var departementOfCommune = new Dictionary<int, int>();
        for (var d = 0; d < k; d++)
            foreach (var c in departements[d])
                departementOfCommune[c] = d;
        var dx = departements.Select(d => d.Average(c => xs[c])).ToArray();
        var dy = departements.Select(d => d.Average(c => ys[c])).ToArray();
        var dn = new int[k][];
        for (var d = 0; d < k; d++)
            dn[d] = [.. departements[d].SelectMany(c => communes[c].Neighbours).Select(n => departementOfCommune[n]).Where(n => n != d).Distinct().Order()];
        return GraphPartition.Partition([.. Enumerable.Range(0, k)], dx, dy, dn, regions, random);
    }

    /// <summary>Splits <paramref name="total"/> in proportion to <paramref name="sizes"/>, at least one each (largest remainders).</summary>
    internal static int[] Apportion(int total, int[] sizes)
    {
        var sum = (double)sizes.Sum();
        var exact = sizes.Select(s => Math.Max(1, total * s / sum)).ToArray();
        var result = exact.Select(e => (int)Math.Floor(e)).ToArray();
        var order = Enumerable.Range(0, sizes.Length).OrderByDescending(i => exact[i] - result[i]).ThenBy(i => i).ToArray();
        for (var i = 0; result.Sum() < total && i < order.Length; i++)
            result[order[i]]++;
        for (var i = 0; i < sizes.Length; i++)
            result[i] = Math.Min(result[i], sizes[i]);
        return result;
    }

    private static int Pick(double[] weights, double total, SeededRandom random)
    {
        var target = random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            target -= weights[i];
            if (target < 0)
                return i;
        }
        return weights.Length - 1;
    }

    internal static Polygon ForceCounterClockwise(Polygon polygon)
    {
        // RFC 7946 and GeoPackage readers expect exterior rings counter-clockwise, holes clockwise.
        var shell = polygon.Shell.IsCCW ? polygon.Shell : (LinearRing)polygon.Shell.Reverse();
        var holes = polygon.Holes.Select(h => h.IsCCW ? (LinearRing)h.Reverse() : h).ToArray();
        return DemoOutlines.Factory.CreatePolygon(shell, holes);
    }

    private static double Hypot(double dx, double dy) => Math.Sqrt(dx * dx + dy * dy);

    private enum SiteKind { Land, Island, Sea }

    /// <summary>Voronoi sites with a grid hash that keeps them at least a minimum distance apart.</summary>
    private sealed class SiteSet(double minimumDistance)
    {
        private readonly Dictionary<(long, long), List<int>> _grid = [];
        public List<Coordinate> Coordinates { get; } = [];
        public List<SiteKind> Kinds { get; } = [];
        public int LandCount { get; private set; }

        public bool IsFree(double x, double y)
        {
            var (cx, cy) = Cell(x, y);
            for (var i = cx - 1; i <= cx + 1; i++)
                for (var j = cy - 1; j <= cy + 1; j++)
                    if (_grid.TryGetValue((i, j), out var list))
                        foreach (var s in list)
                            if (Hypot(Coordinates[s].X - x, Coordinates[s].Y - y) < minimumDistance)
                                return false;
            return true;
        }

        public void Add(double x, double y, SiteKind kind)
        {
            var cell = Cell(x, y);
            if (!_grid.TryGetValue(cell, out var list))
                _grid[cell] = list = [];
            list.Add(Coordinates.Count);
            Coordinates.Add(new Coordinate(x, y));
            Kinds.Add(kind);
            if (kind == SiteKind.Land)
                LandCount++;
        }

        private (long, long) Cell(double x, double y) => ((long)Math.Floor(x / minimumDistance), (long)Math.Floor(y / minimumDistance));
    }
}
