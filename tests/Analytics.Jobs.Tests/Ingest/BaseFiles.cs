using System.Globalization;
using Analytics.Jobs.Ingest;

namespace Analytics.Jobs.Tests.Ingest;

/// <summary>
/// Small valid files of each kind, written against the demo territories and catalogue. The
/// malformed corpus breaks them one way at a time, so each bad file differs from a good one by
/// exactly the fault it is there to show.
/// </summary>
public static class BaseFiles
{
    public const string HealthHeader = "territory_code;level;period;condition_code;sex;age_band;cases;population";

    /// <summary>Ten records, on lines 2 to 11: communes 22001 to 22010, asthma stays of girls aged 0-14 in 2022.</summary>
    public static IReadOnlyList<string> HealthRows { get; } =
        Enumerable.Range(1, 10).Select(i => Invariant($"{22000 + i};commune;2022;J45-J46;F;0-14;{i};{100 + 10 * i}")).ToList();

    public static string HealthCsv() => Lines(HealthHeader, HealthRows);

    public const string SocioHeader = "commune_code;year;median_income_eur;unemployment_rate";

    /// <summary>Ten records, on lines 2 to 11: communes 22001 to 22010 in 2022, with decimal commas.</summary>
    public static IReadOnlyList<string> SocioRows { get; } =
        Enumerable.Range(1, 10).Select(i => Invariant($"{22000 + i};2022;2{i}000;0,0{i % 10}")).ToList();

    public static string SocioCsv() => Lines(SocioHeader, SocioRows);

    public static IngestOptions SocioOptions { get; } = new() { Columns = new Dictionary<string, string> { ["median_income_eur"] = "median_income" } };

    /// <summary>Two mergers of the 2024 vintage: 22998 and 22999 absorbed by 22001.</summary>
    public static string CodeChangesCsv() => "old_code;new_code;vintage\n22998;22001;2024\n22999;22001;2024\n";

    /// <summary>Three square zones a kilometre or so wide near Rennes (longitude/latitude), one feature per line (lines 2 to 4).</summary>
    public static string ZonesGeoJson(string prefix = "Z") =>
        FeatureCollection(Enumerable.Range(1, 3).Select(i => Feature($"{prefix}{i}", Square(-1.70 + 0.02 * i, 48.10))).ToArray());

    public static string FeatureCollection(params string[] features) =>
        "{\"type\":\"FeatureCollection\",\"features\":[\n" + string.Join(",\n", features) + "\n]}\n";

    public static string Feature(string code, string geometry, string extraProperties = "") =>
        $"{{\"type\":\"Feature\",\"properties\":{{\"code\":\"{code}\"{extraProperties}}},\"geometry\":{geometry}}}";

    public static string Square(double x, double y, double size = 0.015) =>
        Invariant($"{{\"type\":\"Polygon\",\"coordinates\":[[[{x},{y}],[{x + size},{y}],[{x + size},{y + size}],[{x},{y + size}],[{x},{y}]]]}}");

    public static string Lines(string header, IEnumerable<string> rows) => header + "\n" + string.Concat(rows.Select(r => r + "\n"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
