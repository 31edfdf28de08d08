using NetTopologySuite.Geometries;

namespace Analytics.Jobs.Demo;

/// <summary>Everything a demo world holds, in memory, before it is written out.</summary>
public sealed class DemoWorld
{
    public required ulong Seed { get; init; }
    public required DemoScale Scale { get; init; }
    public required IReadOnlyList<DemoCommune> Communes { get; init; }

    /// <summary>EPCI, départements and régions, each the exact union of its communes.</summary>
    public required IReadOnlyList<DemoTerritory> Groupings { get; init; }

    public required DemoEnvironment Environment { get; init; }
    public required DemoOneHealth OneHealth { get; init; }
    public required DemoHealth Health { get; init; }

    /// <summary>The years every yearly layer covers.</summary>
    public static IReadOnlyList<int> Years { get; } = [2019, 2020, 2021, 2022, 2023];

    /// <summary>The year the per-commune population and socio-economic values refer to.</summary>
    public const int ReferenceYear = 2021;
}

/// <summary>Territory levels, from the finest.</summary>
public enum DemoLevel { Commune, Epci, Departement, Region }

/// <summary>A territory above the commune: its code, name, parent and exact geometry (Lambert-93).</summary>
public sealed record DemoTerritory(DemoLevel Level, string Code, string Name, string? ParentCode, Geometry Geometry, long Population);

/// <summary>INSEE's grid of municipal density, reduced to three classes.</summary>
public enum DensityClass { Urban, Intermediate, Rural }

/// <summary>Sex as coded in health aggregates.</summary>
public enum Sex { M, F }

/// <summary>The age bands every population and health table uses.</summary>
public static class AgeBands
{
    public static IReadOnlyList<string> All { get; } = ["0-14", "15-44", "45-64", "65-74", "75+"];
}

/// <summary>
/// One commune: where it is, what it belongs to, who lives there and what they are exposed to.
/// Filled stage by stage by the generator; read-only to everyone else.
/// </summary>
public sealed class DemoCommune
{
    public required int Index { get; init; }
    public required int Block { get; init; }
    public required Polygon Geometry { get; init; }
    public required bool IsIsland { get; init; }

    /// <summary>Indices of the communes sharing a border (none for the island).</summary>
    public int[] Neighbours { get; internal set; } = [];

    public string Code { get; internal set; } = "";
    public string Name { get; internal set; } = "";
    public string EpciCode { get; internal set; } = "";
    public string DepartementCode { get; internal set; } = "";
    public string RegionCode { get; internal set; } = "";
    public bool Overseas { get; internal set; }

    public double AreaKm2 => Geometry.Area / 1e6;
    /// <summary>Centroid (inside the cell: Voronoi cells are convex).</summary>
    public Coordinate Centre => _centre ??= Geometry.Centroid.Coordinate;
    private Coordinate? _centre;

    /// <summary>Population by [year index, sex, age band].</summary>
    public long[,,] Population { get; internal set; } = new long[0, 0, 0];

    /// <summary>Total population in <see cref="DemoWorld.ReferenceYear"/>.</summary>
    public long ReferencePopulation { get; internal set; }

    public DensityClass DensityClass { get; internal set; }

    /// <summary>FDep-like deprivation index: standardised (mean 0, sd 1 over communes), higher is more deprived.</summary>
    public double Deprivation { get; internal set; }

    /// <summary>1 (least deprived) to 5 (most), quintiles over all communes (unweighted).</summary>
    public int DeprivationQuintile { get; internal set; }

    public double MedianIncomeEur { get; internal set; }
    public double UnemploymentRate { get; internal set; }

    /// <summary>APL-like GP accessibility: consultations accessible per inhabitant per year.</summary>
    public double GpAccessibility { get; internal set; }

    /// <summary>Unmeasured, spatially structured log-rate effect shared by all conditions (part of the truth).</summary>
    public double SpatialEffect { get; internal set; }
}
