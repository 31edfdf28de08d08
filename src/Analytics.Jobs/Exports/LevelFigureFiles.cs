using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Analytics.Jobs.Features;
using Analytics.Models.Secrecy;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace Analytics.Jobs.Exports;

/// <summary>
/// A level's published figure as a file a spreadsheet or a GIS opens — CSV, GeoJSON or GeoPackage — each
/// carrying where it comes from (source, licence, health batch and load date, features build, geography
/// vintage) and every withheld figure as its named state, never as a bare empty cell.
/// </summary>
public static class LevelFigureFiles
{
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };

    /// <summary>The provenance every export carries, as key–value pairs.</summary>
    public static List<(string Key, string Value)> Provenance(LevelQuery query, FiguresProvenance provenance, IReadOnlyList<LevelFigure> figures) =>
    [
        ("niveau / level", query.Level),
        ("pathologie / condition", query.Condition),
        ("statistique / statistic", query.Statistic),
        ("periode / period", query.Period ?? "toutes / all"),
        ("source", provenance.Source ?? ""),
        ("licence", provenance.Licence ?? ""),
        ("lot_sante / health_batch", provenance.HealthBatchId.ToString(CultureInfo.InvariantCulture)),
        ("charge_le / loaded_at", provenance.LoadedAt.ToString("O", CultureInfo.InvariantCulture)),
        ("construction / features_build", provenance.BuildId.ToString(CultureInfo.InvariantCulture)),
        ("construit_le / built_at", provenance.BuiltAt.ToString("O", CultureInfo.InvariantCulture)),
        ("millesime_geographie / geography_vintage", figures.Count > 0 ? figures[0].Vintage.ToString(CultureInfo.InvariantCulture) : ""),
        ("secret / secrecy", "secret statistique appliqué : aucune valeur pour 1 à 10 cas / statistical secrecy applied: no value for 1 to 10 cases"),
    ];

    /// <summary>UTF-8 with a byte-order mark, provenance in the first row, one row per territory and period.</summary>
    public static byte[] Csv(LevelQuery query, FiguresProvenance provenance, IReadOnlyList<LevelFigure> figures, char separator)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        var csv = new CsvWriter(text, separator);
        csv.Row(Provenance(query, provenance, figures).Select(p => $"# {p.Key}={p.Value}"));
        csv.Row("code", "nom", "periode", "valeur", "ic_bas", "ic_haut", "etat", "etat_libelle");
        foreach (var f in figures)
            csv.Row(f.Code, f.Name, f.Period, Number(f.Value), Number(f.Low), Number(f.High), PublicationStates.Id(f.State), PublicationStates.Label(f.State).Fr);
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    /// <summary>An RFC 7946 FeatureCollection (EPSG:4326) with the provenance as a foreign member.</summary>
    public static byte[] GeoJsonCollection(LevelQuery query, FiguresProvenance provenance, IReadOnlyList<LevelFigure> figures)
    {
        var collection = new JsonObject
        {
            ["type"] = "FeatureCollection",
            ["provenance"] = new JsonObject(Provenance(query, provenance, figures).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["features"] = new JsonArray(figures.Select(f => (JsonNode)new JsonObject
            {
                ["type"] = "Feature",
                ["id"] = $"{f.Code}/{f.Period}",
                ["geometry"] = f.GeometryJson is null ? null : JsonNode.Parse(f.GeometryJson),
                ["properties"] = Properties(f),
            }).ToArray()),
        };
        return Encoding.UTF8.GetBytes(collection.ToJsonString());
    }

    /// <summary>A feature's properties as GeoJSON and OGC API items carry them.</summary>
    public static JsonObject Properties(LevelFigure f) => new()
    {
        ["code"] = f.Code,
        ["name"] = f.Name,
        ["period"] = f.Period,
        ["value"] = f.Value,
        ["ci_low"] = f.Low,
        ["ci_high"] = f.High,
        ["state"] = PublicationStates.Id(f.State),
        ["state_fr"] = PublicationStates.Label(f.State).Fr,
        ["state_en"] = PublicationStates.Label(f.State).En,
    };

    /// <summary>A GeoPackage (EPSG:4326) with one layer named after the figure and the provenance as an attribute table.</summary>
    public static byte[] GeoPackage(LevelQuery query, FiguresProvenance provenance, IReadOnlyList<LevelFigure> figures)
    {
        var table = $"{query.Level}_{query.Condition}_{query.Statistic}".Replace('-', '_');
        var layer = new GeoPackageLayer(table, $"{query.Condition} — {query.Statistic} ({query.Period ?? "toutes périodes"}), secret statistique appliqué", 4326,
            [("code", "TEXT"), ("name", "TEXT"), ("period", "TEXT"), ("value", "REAL"), ("ci_low", "REAL"), ("ci_high", "REAL"), ("state", "TEXT"), ("state_fr", "TEXT")],
            figures.Where(f => f.GeometryJson is not null).Select(f => new GeoPackageFeature(JsonSerializer.Deserialize<Geometry>(f.GeometryJson!, GeoJson)!,
                [f.Code, f.Name, f.Period, f.Value, f.Low, f.High, PublicationStates.Id(f.State), PublicationStates.Label(f.State).Fr])).ToList());
        var path = Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}.gpkg");
        try
        {
            GeoPackageFile.Write(path, [layer], provenance.BuiltAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                Provenance(query, provenance, figures));
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";
}
