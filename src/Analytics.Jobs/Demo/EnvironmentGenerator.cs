using Analytics.Models.Randomness;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace Analytics.Jobs.Demo;

/// <summary>One 1 km cell of the environment grid, aligned on Lambert-93 kilometres.</summary>
/// <param name="X">Cell centre easting (m).</param>
/// <param name="Y">Cell centre northing (m).</param>
/// <param name="Commune">Index of the commune containing the centre.</param>
public sealed record DemoGridCell(int X, int Y, int Commune);

/// <summary>An NO2 monitoring station and its yearly means (µg/m³), one per year of <see cref="DemoWorld.Years"/>.</summary>
public sealed record DemoStation(string Code, string Name, string Type, double X, double Y, int Commune, IReadOnlyList<double> No2);

/// <summary>Environmental exposures: the grid, stations and per-commune values.</summary>
public sealed class DemoEnvironment
{
    public required IReadOnlyList<DemoGridCell> Cells { get; init; }

    /// <summary>Yearly values per cell, [cell, year], as written (rounded to 0.1 µg/m³ or whole days).</summary>
    public required float[,] Pm25 { get; init; }
    public required float[,] No2 { get; init; }
    public required float[,] O3 { get; init; }
    public required int[,] HeatwaveDays { get; init; }

    /// <summary>Commune means of the cells inside each commune (the cell under the centroid when none is), [commune, year].</summary>
    public required double[,] CommunePm25 { get; init; }
    public required double[,] CommuneNo2 { get; init; }
    public required double[,] CommuneO3 { get; init; }
    public required double[,] CommuneHeatwaveDays { get; init; }

    public required IReadOnlyList<DemoStation> Stations { get; init; }

    /// <summary>IRSN-like radon potential class 1–3 by commune.</summary>
    public required int[] RadonClass { get; init; }

    /// <summary>Share of drinking-water samples not conforming (0–1) by commune, in 2023.</summary>
    public required double[] WaterNonConformity { get; init; }
}

/// <summary>
/// Builds annual mean PM2.5, NO2 and O3 and heat-wave days on a 1 km grid from a few smooth
/// ingredients: an urban intensity (population density blurred over ~3 km), a road intensity
/// (a minimum spanning tree of the larger towns, blurred over ~1 km), a smooth regional
/// background, and east/south gradients. Ranges follow French annual means (PM2.5 5–20,
/// NO2 5–45, O3 40–80 µg/m³); ozone is higher in the countryside, as it is.
/// </summary>
internal static class EnvironmentGenerator
{
    private const int CellSize = 1000;
    private static readonly double[] Pm25Year = [1.06, 0.94, 0.98, 0.95, 0.90];
    private static readonly double[] No2Year = [1.04, 0.86, 0.93, 0.91, 0.87];
    private static readonly double[] O3Year = [1.03, 0.99, 0.98, 1.05, 1.01];
    private static readonly double[] HeatYear = [5, 3, 1.5, 8, 4];

    public static DemoEnvironment Generate(DemoScale scale, DemoLayout layout, ulong seed)
    {
        var communes = layout.Communes;
        var years = DemoWorld.Years.Count;
        var random = SeededRandom.Derive(seed, "environment");
        var cells = new List<DemoGridCell>();
        var values = new List<(float Pm, float No2, float O3, int Heat)[]>();
        var communeSums = new double[communes.Count, years, 4];
        var communeCells = new int[communes.Count];
        var centroidValues = new (double Pm, double No2, double O3, double Heat)[communes.Count, years];
        var stations = new List<DemoStation>();

        for (var b = 0; b < scale.Blocks.Count; b++)
        {
            var block = scale.Blocks[b];
            var members = communes.Where(c => c.Block == b).ToArray();
            var towns = layout.Towns.Where(t => t.Block == b).ToArray();
            var raster = Raster.Around(members);
            var owner = raster.Owners(members);

            var density = new double[raster.Length];
            for (var k = 0; k < raster.Length; k++)
                if (owner[k] >= 0)
                    density[k] = communes[owner[k]].ReferencePopulation / communes[owner[k]].AreaKm2;
            var urban = raster.Blur(density, 3).Select(u => 1 - Math.Exp(-u / 1500)).ToArray();
            var roadLines = raster.Roads(towns, block.Overseas ? 3 : Math.Max(6, towns.Length / 6));
            var road = raster.Blur(roadLines, 1).Select(r => Math.Min(1, r / 0.4)).ToArray();
            var background = Standardised(raster.Blur(raster.Noise(random), 25));
            var ozoneBackground = Standardised(raster.Blur(raster.Noise(random), 25));

            var cellOfRaster = new int[raster.Length];
            for (var k = 0; k < raster.Length; k++)
            {
                var (x, y) = raster.Centre(k);
                var east = Math.Clamp((x - 100_000) / 1e6, 0, 1);
                var south = block.Overseas ? 1 : Math.Clamp((7_100_000 - y) / 1e6, 0, 1);
                var pmBase = Math.Clamp(7.0 + 3.0 * east + 1.2 * background[k] + 5.5 * urban[k] + 2.0 * road[k], 6, 22);
                var noBase = Math.Clamp(6.0 + 2.0 * east + 1.5 * background[k] + 24 * urban[k] + 16 * road[k], 4.5, 55);
                var o3Base = Math.Clamp(58 + 12 * south + 3 * ozoneBackground[k] - 9 * urban[k] - 6 * road[k], 38, 82);
                var row = new (float, float, float, int)[years];
                for (var t = 0; t < years; t++)
                {
                    var pm = Round1(Math.Max(5, pmBase * Pm25Year[t] + random.NextGaussian(0, 0.25)));
                    var no2 = Round1(Math.Max(3, noBase * No2Year[t] + random.NextGaussian(0, 0.6)));
                    var o3 = Round1(o3Base * O3Year[t] + random.NextGaussian(0, 0.8));
                    var heat = (int)Math.Max(0, Math.Round(HeatYear[t] * (0.4 + 2.2 * south) * (1 + 0.5 * urban[k]) + random.NextGaussian(0, 0.7)));
                    row[t] = (pm, no2, o3, heat);
                }
                cellOfRaster[k] = -1;
                if (owner[k] >= 0)
                {
                    cellOfRaster[k] = cells.Count;
                    cells.Add(new DemoGridCell((int)x, (int)y, owner[k]));
                    values.Add(row);
                    communeCells[owner[k]]++;
                    for (var t = 0; t < years; t++)
                    {
                        communeSums[owner[k], t, 0] += row[t].Item1;
                        communeSums[owner[k], t, 1] += row[t].Item2;
                        communeSums[owner[k], t, 2] += row[t].Item3;
                        communeSums[owner[k], t, 3] += row[t].Item4;
                    }
                }
                raster.Values[k] = row;
            }
            foreach (var c in members)
            {
                var row = raster.Values[raster.IndexOf(c.Centre.X, c.Centre.Y)];
                for (var t = 0; t < years; t++)
                    centroidValues[c.Index, t] = (row[t].Item1, row[t].Item2, row[t].Item3, row[t].Item4);
            }
            stations.AddRange(Stations(block, towns, members, raster, owner, road, urban, communes, random, stations.Count));
        }

        var pm25 = new float[cells.Count, years];
        var no2Grid = new float[cells.Count, years];
        var o3Grid = new float[cells.Count, years];
        var heatGrid = new int[cells.Count, years];
        for (var i = 0; i < cells.Count; i++)
            for (var t = 0; t < years; t++)
                (pm25[i, t], no2Grid[i, t], o3Grid[i, t], heatGrid[i, t]) = values[i][t];

        var cPm = new double[communes.Count, years];
        var cNo2 = new double[communes.Count, years];
        var cO3 = new double[communes.Count, years];
        var cHeat = new double[communes.Count, years];
        for (var c = 0; c < communes.Count; c++)
            for (var t = 0; t < years; t++)
            {
                var n = communeCells[c];
                (cPm[c, t], cNo2[c, t], cO3[c, t], cHeat[c, t]) = n > 0
                    ? (communeSums[c, t, 0] / n, communeSums[c, t, 1] / n, communeSums[c, t, 2] / n, communeSums[c, t, 3] / n)
                    : centroidValues[c, t];
            }

        var radonRandom = SeededRandom.Derive(seed, "radon-water");
        var radonField = CommuneFields.Smooth(communes, radonRandom, rounds: 8);
        var radon = CommuneFields.Classes(radonField, [0.45, 0.65]);
        var water = communes.Select(c =>
        {
            var chance = c.DensityClass switch { DensityClass.Rural => 0.35, DensityClass.Intermediate => 0.2, _ => 0.08 };
            return radonRandom.NextDouble() < chance ? Math.Round(Math.Min(0.6, radonRandom.NextLogNormal(Math.Log(0.05), 0.8)), 3) : 0.0;
        }).ToArray();

        return new DemoEnvironment
        {
            Cells = cells, Pm25 = pm25, No2 = no2Grid, O3 = o3Grid, HeatwaveDays = heatGrid,
            CommunePm25 = cPm, CommuneNo2 = cNo2, CommuneO3 = cO3, CommuneHeatwaveDays = cHeat,
            Stations = stations, RadonClass = radon, WaterNonConformity = water,
        };
    }

    private static IEnumerable<DemoStation> Stations(DemoBlock block, DemoTown[] towns, DemoCommune[] members, Raster raster,
        int[] owner, double[] road, double[] urban, IReadOnlyList<DemoCommune> communes, SeededRandom random, int numbered)
    {
        // Urban background stations in the larger towns, traffic stations by their busiest road, and a few rural ones.
        var background = block.Overseas ? 1 : Math.Max(3, towns.Length / 5);
        var sites = new List<(string Type, int Cell)>();
        foreach (var town in towns.Take(background))
            sites.Add(("urban_background", raster.IndexOf(town.Centre.X, town.Centre.Y)));
        foreach (var town in towns.Take(Math.Max(1, background / 3)))
        {
            var centre = raster.IndexOf(town.Centre.X, town.Centre.Y);
            var best = raster.Within(centre, 4).Where(k => owner[k] >= 0).OrderByDescending(k => road[k]).ThenBy(k => k).First();
            sites.Add(("traffic", best));
        }
        var rural = Enumerable.Range(0, raster.Length).Where(k => owner[k] >= 0 && urban[k] < 0.1).ToArray();
        for (var i = 0; i < Math.Max(1, background / 3) && rural.Length > 0; i++)
            sites.Add(("rural_background", rural[random.NextInt(rural.Length)]));

        var factor = new Dictionary<string, double> { ["urban_background"] = 1.0, ["traffic"] = 1.35, ["rural_background"] = 0.9 };
        var label = new Dictionary<string, string> { ["urban_background"] = "Centre", ["traffic"] = "Trafic", ["rural_background"] = "Rural" };
        foreach (var (type, k) in sites)
        {
            var commune = owner[k] >= 0 ? owner[k] : members[0].Index;
            var (x, y) = raster.Centre(k);
            // A station sits somewhere in its cell, not at the centre.
            x += random.NextDouble(-400, 400);
            y += random.NextDouble(-400, 400);
            var no2 = raster.Values[k].Select(v => Math.Round(Math.Max(2, v.No2 * factor[type] + random.NextGaussian(0, 1.2)), 1)).ToArray();
            numbered++;
            yield return new DemoStation($"FR{20000 + numbered * 7}", $"{communes[commune].Name} - {label[type]}", type,
                Math.Round(x, 1), Math.Round(y, 1), commune, no2);
        }
    }

    private static float Round1(double v) => (float)Math.Round(v, 1);

    private static double[] Standardised(double[] v) => CommuneFields.Standardise(v);

    /// <summary>A block's share of the national 1 km grid, with scratch space for per-cell values.</summary>
    private sealed class Raster
    {
        private Raster(int x0, int y0, int nx, int ny)
        {
            (X0, Y0, Nx, Ny) = (x0, y0, nx, ny);
            Values = new (float Pm, float No2, float O3, int Heat)[nx * ny][];
        }

        public int X0 { get; }
        public int Y0 { get; }
        public int Nx { get; }
        public int Ny { get; }
        public int Length => Nx * Ny;
        public (float Pm, float No2, float O3, int Heat)[][] Values { get; }

        public static Raster Around(DemoCommune[] communes)
        {
            var envelope = new Envelope();
            foreach (var c in communes)
                envelope.ExpandToInclude(c.Geometry.EnvelopeInternal);
            var x0 = (int)Math.Floor(envelope.MinX / CellSize) * CellSize - 5 * CellSize;
            var y0 = (int)Math.Floor(envelope.MinY / CellSize) * CellSize - 5 * CellSize;
            var nx = (int)Math.Ceiling((envelope.MaxX - x0) / CellSize) + 5;
            var ny = (int)Math.Ceiling((envelope.MaxY - y0) / CellSize) + 5;
            return new Raster(x0, y0, nx, ny);
        }

        public (double X, double Y) Centre(int k) => (X0 + (k % Nx + 0.5) * CellSize, Y0 + (k / Nx + 0.5) * CellSize);

        public int IndexOf(double x, double y)
        {
            var i = Math.Clamp((int)Math.Floor((x - X0) / CellSize), 0, Nx - 1);
            var j = Math.Clamp((int)Math.Floor((y - Y0) / CellSize), 0, Ny - 1);
            return j * Nx + i;
        }

        public IEnumerable<int> Within(int k, int radius)
        {
            int ci = k % Nx, cj = k / Nx;
            for (var j = Math.Max(0, cj - radius); j <= Math.Min(Ny - 1, cj + radius); j++)
                for (var i = Math.Max(0, ci - radius); i <= Math.Min(Nx - 1, ci + radius); i++)
                    yield return j * Nx + i;
        }

        /// <summary>The commune whose polygon contains each cell centre, or −1 for sea.</summary>
        public int[] Owners(DemoCommune[] communes)
        {
            var owner = Enumerable.Repeat(-1, Length).ToArray();
            foreach (var c in communes)
            {
                var e = c.Geometry.EnvelopeInternal;
                var ring = c.Geometry.Shell.Coordinates;
                var i0 = Math.Max(0, (int)Math.Floor((e.MinX - X0) / CellSize));
                var i1 = Math.Min(Nx - 1, (int)Math.Floor((e.MaxX - X0) / CellSize));
                var j0 = Math.Max(0, (int)Math.Floor((e.MinY - Y0) / CellSize));
                var j1 = Math.Min(Ny - 1, (int)Math.Floor((e.MaxY - Y0) / CellSize));
                for (var j = j0; j <= j1; j++)
                    for (var i = i0; i <= i1; i++)
                    {
                        var k = j * Nx + i;
                        var (x, y) = Centre(k);
                        if (owner[k] < 0 && PointLocation.IsInRing(new Coordinate(x, y), ring))
                            owner[k] = c.Index;
                    }
            }
            return owner;
        }

        public double[] Noise(SeededRandom random) => [.. Enumerable.Range(0, Length).Select(_ => random.NextGaussian())];

        /// <summary>Road cells: a minimum spanning tree (Prim) over the <paramref name="count"/> largest towns, drawn cell by cell.</summary>
        public double[] Roads(DemoTown[] towns, int count)
        {
            var nodes = towns.Take(count).Select(t => t.Centre).ToArray();
            var grid = new double[Length];
            if (nodes.Length < 2)
                return grid;
            var inTree = new bool[nodes.Length];
            var best = Enumerable.Repeat(double.PositiveInfinity, nodes.Length).ToArray();
            var parent = new int[nodes.Length];
            best[0] = 0;
            for (var step = 0; step < nodes.Length; step++)
            {
                var u = -1;
                for (var v = 0; v < nodes.Length; v++)
                    if (!inTree[v] && (u < 0 || best[v] < best[u]))
                        u = v;
                inTree[u] = true;
                if (step > 0)
                    Draw(grid, nodes[parent[u]], nodes[u]);
                for (var v = 0; v < nodes.Length; v++)
                {
                    var d = nodes[u].Distance(nodes[v]);
                    if (!inTree[v] && d < best[v])
                    {
                        best[v] = d;
                        parent[v] = u;
                    }
                }
            }
            return grid;
        }

        private void Draw(double[] grid, Coordinate a, Coordinate b)
        {
            var steps = (int)Math.Ceiling(a.Distance(b) / 200);
            for (var s = 0; s <= steps; s++)
            {
                var f = (double)s / steps;
                grid[IndexOf(a.X + f * (b.X - a.X), a.Y + f * (b.Y - a.Y))] = 1;
            }
        }

        /// <summary>Separable Gaussian blur with standard deviation <paramref name="sigma"/> cells; zero outside the raster.</summary>
        public double[] Blur(double[] source, double sigma)
        {
            var radius = (int)Math.Ceiling(3 * sigma);
            var kernel = Enumerable.Range(-radius, 2 * radius + 1).Select(d => Math.Exp(-d * d / (2 * sigma * sigma))).ToArray();
            var norm = kernel.Sum();
            for (var i = 0; i < kernel.Length; i++)
                kernel[i] /= norm;
            var temp = new double[Length];
            var result = new double[Length];
            for (var j = 0; j < Ny; j++)
                for (var i = 0; i < Nx; i++)
                {
                    var sum = 0.0;
                    for (var d = Math.Max(-radius, -i); d <= Math.Min(radius, Nx - 1 - i); d++)
                        sum += kernel[d + radius] * source[j * Nx + i + d];
                    temp[j * Nx + i] = sum;
                }
            for (var j = 0; j < Ny; j++)
                for (var i = 0; i < Nx; i++)
                {
                    var sum = 0.0;
                    for (var d = Math.Max(-radius, -j); d <= Math.Min(radius, Ny - 1 - j); d++)
                        sum += kernel[d + radius] * temp[(j + d) * Nx + i];
                    result[j * Nx + i] = sum;
                }
            return result;
        }
    }
}
