using System.Globalization;
using Analytics.Models.Randomness;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace Analytics.Jobs.Demo;

/// <summary>A zone made of whole communes (a Lyme risk zone, a postcode area), with its union geometry.</summary>
public sealed record DemoZone(string Code, string DepartementCode, IReadOnlyList<int> Members, Geometry Geometry);

/// <summary>An avian-influenza outbreak (HPAI): where, when, in what.</summary>
public sealed record DemoOutbreak(string Id, DateOnly Date, string SpeciesGroup, string Subtype, int Commune, double X, double Y);

/// <summary>Animal and vector health layers, and the pesticide sales that sit beside them.</summary>
public sealed class DemoOneHealth
{
    /// <summary>Aedes albopictus established in the commune, [commune, year]; once colonised, always colonised.</summary>
    public required bool[,] TigerMosquito { get; init; }

    /// <summary>Tick (Ixodes) / Lyme risk class 1–3 by commune; zones are their unions.</summary>
    public required int[] TickRiskClass { get; init; }

    public required IReadOnlyList<DemoZone> LymeZones { get; init; }
    public required IReadOnlyList<DemoOutbreak> AvianInfluenza { get; init; }
    public required IReadOnlyList<DemoZone> PostcodeZones { get; init; }

    /// <summary>Active substances sold (kg) per postcode zone and year, [zone, year].</summary>
    public required long[,] PesticideKg { get; init; }
}

/// <summary>Builds the One Health layers: vectors, ticks, avian influenza, pesticide sales.</summary>
internal static class OneHealthGenerator
{
    private static readonly int[] OutbreaksPerYear = [15, 60, 400, 600, 250]; // national scale; the 2021–2022 epizootic peaks
    private static readonly double[] PesticideYear = [1.0, 1.12, 0.92, 0.95, 0.9];

    public static DemoOneHealth Generate(DemoLayout layout, ulong seed)
    {
        var communes = layout.Communes;
        var tick = TickClasses(communes, SeededRandom.Derive(seed, "ticks"));
        var departements = layout.Groups.Where(g => g.Level == DemoLevel.Departement).ToArray();
        var lymeZones = new List<DemoZone>();
        foreach (var d in departements)
            for (var c = 1; c <= 3; c++)
            {
                var members = d.Members.Where(m => tick[m] == c).ToArray();
                if (members.Length > 0)
                    lymeZones.Add(new DemoZone($"{d.Code}-{c}", d.Code, members, Dissolve.Union(members.Select(m => communes[m].Geometry))));
            }

        var (zones, kg) = Pesticides(layout, SeededRandom.Derive(seed, "pesticides"));
        return new DemoOneHealth
        {
            TigerMosquito = TigerMosquito(communes, SeededRandom.Derive(seed, "tiger-mosquito")),
            TickRiskClass = tick,
            LymeZones = lymeZones,
            AvianInfluenza = AvianInfluenza(communes, SeededRandom.Derive(seed, "avian-influenza")),
            PostcodeZones = zones,
            PesticideKg = kg,
        };
    }

    // Ticks thrive in rural, wooded land; overseas départements have no Ixodes ricinus, hence class 1.
    private static int[] TickClasses(IReadOnlyList<DemoCommune> communes, SeededRandom random)
    {
        var field = CommuneFields.Smooth(communes, random, rounds: 6);
        var score = communes.Select((c, i) => field[i] + c.DensityClass switch { DensityClass.Rural => 0.8, DensityClass.Urban => -0.8, _ => 0 }).ToArray();
        var classes = CommuneFields.Classes(score, [0.4, 0.75]);
        for (var i = 0; i < communes.Count; i++)
            if (communes[i].Overseas)
                classes[i] = 1;
        return classes;
    }

    /// <summary>
    /// Colonisation spreads from the south (already colonised in 2019) and by long jumps along
    /// traffic to towns; each year a commune next to k colonised ones is colonised with
    /// probability 1 − 0.82ᵏ (×1.5 in towns).
    /// </summary>
    private static bool[,] TigerMosquito(IReadOnlyList<DemoCommune> communes, SeededRandom random)
    {
        var years = DemoWorld.Years.Count;
        var colonised = new bool[communes.Count, years];
        var current = new bool[communes.Count];
        for (var i = 0; i < communes.Count; i++)
        {
            var south = communes[i].Overseas ? 0.75 : Math.Clamp((7_100_000 - communes[i].Centre.Y) / 1e6, 0, 1);
            current[i] = random.NextDouble() < Math.Clamp((south - 0.55) * 2.5, 0, 0.9);
        }
        var towns = Enumerable.Range(0, communes.Count).Where(i => communes[i].DensityClass != DensityClass.Rural).ToArray();
        for (var t = 0; t < years; t++)
        {
            if (t > 0)
            {
                var next = (bool[])current.Clone();
                for (var i = 0; i < communes.Count; i++)
                {
                    if (current[i])
                        continue;
                    var k = communes[i].Neighbours.Count(n => current[n]);
                    var p = (1 - Math.Pow(0.82, k)) * (communes[i].DensityClass == DensityClass.Rural ? 1 : 1.5);
                    next[i] = random.NextDouble() < Math.Min(0.9, p);
                }
                current = next;
            }
            var jumps = 1 + communes.Count / 600;
            for (var j = 0; j < jumps && towns.Length > 0; j++)
                current[towns[random.NextInt(towns.Length)]] = true;
            for (var i = 0; i < communes.Count; i++)
                colonised[i, t] = current[i];
        }
        return colonised;
    }

    /// <summary>Outbreaks cluster in winter around poultry-dense rural areas; wild-bird findings are scattered.</summary>
    private static List<DemoOutbreak> AvianInfluenza(IReadOnlyList<DemoCommune> communes, SeededRandom random)
    {
        var mainland = communes.Where(c => !c.Overseas).ToArray();
        var poultry = CommuneFields.Smooth(communes, random, rounds: 6);
        var hotspots = mainland.Where(c => c.DensityClass != DensityClass.Urban && poultry[c.Index] > 0.8).ToArray();
        if (hotspots.Length == 0)
            hotspots = mainland;
        var index = new STRtree<DemoCommune>();
        foreach (var c in mainland)
            index.Insert(c.Geometry.EnvelopeInternal, c);
        index.Build();

        var scaleFactor = Math.Max(0.1, mainland.Length / 35_000.0);
        var outbreaks = new List<(DateOnly Date, string Species, string Subtype, DemoCommune Commune, double X, double Y)>();
        for (var t = 0; t < DemoWorld.Years.Count; t++)
        {
            var year = DemoWorld.Years[t];
            var count = (int)Math.Round(OutbreaksPerYear[t] * scaleFactor);
            var clusters = Enumerable.Range(0, 1 + count / 40).Select(_ => hotspots[random.NextInt(hotspots.Length)].Centre).ToArray();
            var placed = 0;
            for (var attempt = 0; placed < count && attempt < count * 50; attempt++)
            {
                var wild = random.NextDouble() < 0.15;
                var centre = wild ? mainland[random.NextInt(mainland.Length)].Centre : clusters[random.NextInt(clusters.Length)];
                var x = centre.X + random.NextGaussian(0, wild ? 3_000 : 8_000);
                var y = centre.Y + random.NextGaussian(0, wild ? 3_000 : 8_000);
                var point = new Point(x, y);
                var commune = index.Query(point.EnvelopeInternal).Where(c => c.Geometry.Contains(point)).OrderBy(c => c.Index).FirstOrDefault();
                if (commune is null || (!wild && commune.DensityClass == DensityClass.Urban))
                    continue;
                // Epizootics peak in winter: January–March or November–December of the year.
                var winterStart = random.NextDouble() < 0.6;
                var date = winterStart
                    ? new DateOnly(year, 1, 1).AddDays(random.NextInt(90))
                    : new DateOnly(year, 11, 1).AddDays(random.NextInt(61));
                var species = wild ? "wild_bird" : random.NextDouble() < 0.88 ? "poultry_farm" : "backyard";
                outbreaks.Add((date, species, year <= 2021 ? "H5N8" : "H5N1", commune, Math.Round(x, 1), Math.Round(y, 1)));
                placed++;
            }
        }
        return [.. outbreaks.OrderBy(o => o.Date).ThenBy(o => o.X).ThenBy(o => o.Y)
            .Select((o, i) => new DemoOutbreak($"IAHP-{o.Date.Year}-{i + 1:00000}", o.Date, o.Species, o.Subtype, o.Commune.Index, o.X, o.Y))];
    }

    /// <summary>
    /// Postcode-like zones (about six contiguous communes within a département, as a postcode
    /// often serves several communes) with the active substances sold there: farmland area
    /// times a smooth intensity (~250 kg/km²), and a 2020 peak as buyers stocked up before a tax rise.
    /// </summary>
    private static (List<DemoZone>, long[,]) Pesticides(DemoLayout layout, SeededRandom random)
    {
        var communes = layout.Communes;
        var xs = communes.Select(c => c.Centre.X).ToArray();
        var ys = communes.Select(c => c.Centre.Y).ToArray();
        var neighbours = communes.Select(c => c.Neighbours).ToArray();
        var intensity = CommuneFields.Smooth(communes, random, rounds: 5);
        var zones = new List<DemoZone>();
        foreach (var d in layout.Groups.Where(g => g.Level == DemoLevel.Departement))
        {
            var k = (d.Members.Count + 5) / 6;
            var zoneOf = GraphPartition.Partition(d.Members, xs, ys, neighbours, k, random);
            for (var z = 0; z < k; z++)
            {
                var members = d.Members.Where((_, i) => zoneOf[i] == z).ToArray();
                zones.Add(new DemoZone(Postcode(d.Code, z, k), d.Code, members, Dissolve.Union(members.Select(m => communes[m].Geometry))));
            }
        }
        var kg = new long[zones.Count, DemoWorld.Years.Count];
        for (var z = 0; z < zones.Count; z++)
        {
            var farmland = zones[z].Members.Sum(m => communes[m].AreaKm2 * communes[m].DensityClass switch
            {
                DensityClass.Rural => 0.7, DensityClass.Intermediate => 0.45, _ => 0.1,
            } * 250 * Math.Exp(0.5 * intensity[m]));
            for (var t = 0; t < DemoWorld.Years.Count; t++)
                kg[z, t] = (long)Math.Round(farmland * PesticideYear[t] * random.NextLogNormal(0, 0.08));
        }
        return (zones, kg);
    }

    // Postcodes: département digits then three digits (two for overseas). Corsica's 2A and 2B share "20", so 2B starts at 500.
    private static string Postcode(string departement, int zone, int zones)
    {
        if (departement.Length == 3)
            return departement + ((zone + 1) * (zones < 10 ? 10 : 1)).ToString("00", CultureInfo.InvariantCulture);
        if (departement is "2A" or "2B")
            return "20" + ((departement == "2B" ? 500 : 0) + zone + 1).ToString("000", CultureInfo.InvariantCulture);
        return departement + ((zone + 1) * (zones < 100 ? 10 : 1)).ToString("000", CultureInfo.InvariantCulture);
    }
}
