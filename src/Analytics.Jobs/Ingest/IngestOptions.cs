using System.Text.Json.Serialization;

namespace Analytics.Jobs.Ingest;

/// <summary>
/// How to read one file, as given on the command line, in an upload form or a load manifest.
/// Only what a kind needs is used; the rest is ignored. Stored with the batch.
/// </summary>
public sealed record IngestOptions
{
    /// <summary>Who produced the data (e.g. "IGN Admin Express COG 2024").</summary>
    public string? Source { get; init; }

    /// <summary>The licence it is published under (e.g. "Licence Ouverte / Etalab 2.0").</summary>
    public string? Licence { get; init; }

    /// <summary>Territory level of the file's rows or features: commune, epci, departement, region, iris, custom.</summary>
    public string? Level { get; init; }

    /// <summary>Zoning vintage (COG year) of territories; for facts, the vintage their codes refer to (default: the latest loaded).</summary>
    public int? Vintage { get; init; }

    /// <summary>Property or column holding the territory or feature code (default: recognised aliases such as code, insee_com).</summary>
    public string? CodeField { get; init; }

    /// <summary>Property holding the territory name (default: name, nom, libelle…).</summary>
    public string? NameField { get; init; }

    /// <summary>Property holding the parent territory's code (default: parent_code; communes fall back to their département code).</summary>
    public string? ParentField { get; init; }

    /// <summary>Level of the parent territories (default: the next level up that is loaded).</summary>
    public string? ParentLevel { get; init; }

    /// <summary>Coordinate reference system when the file does not say it (EPSG code).</summary>
    public int? Srid { get; init; }

    /// <summary>Period of every value when the file has no period column (year "2022" or month "2022-06").</summary>
    public string? Period { get; init; }

    /// <summary>For layers: grid, stations, polygons or points.</summary>
    public string? Layer { get; init; }

    /// <summary>For layers: a name shown to users.</summary>
    public string? LayerName { get; init; }

    /// <summary>For zoning files: the zoning's name (e.g. "CPTS 2024"), under which its zones are kept.</summary>
    public string? Zoning { get; init; }

    /// <summary>Grid cell size in metres for cell-centre grids.</summary>
    public double? CellSize { get; init; }

    /// <summary>Column-to-indicator mapping for value files ("median_income_eur" → "median_income").</summary>
    public IReadOnlyDictionary<string, string>? Columns { get; init; }

    /// <summary>Largest share of rejected rows a batch may have and still load (default 0.05).</summary>
    public double MaxRejectedShare { get; init; } = 0.05;

    public static IngestOptions Default { get; } = new();

    /// <summary>Which part of a file is read (a GeoPackage holds one layer per level): with the file's hash, what makes a load the same load.</summary>
    [JsonIgnore]
    public string Part => string.Join('/', new[] { Level, LayerName, Zoning }.Where(p => !string.IsNullOrEmpty(p)));
}
