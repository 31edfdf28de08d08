using System.IO.Compression;
using System.Text;
using Analytics.Jobs.Ingest;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;
using static Analytics.Jobs.Tests.Ingest.BaseFiles;

namespace Analytics.Jobs.Tests.Ingest.Corpus;

/// <summary>
/// Malformed inputs, each derived from a small valid file (see <see cref="BaseFiles"/>) by one
/// fault, with the refusal it must get. Generated when the tests run: nothing here is big on disk
/// except for the moment one file is loaded.
/// </summary>
/// <remarks>
/// Line numbers count physical lines from 1 (the header); for geographic files, "line" is the
/// feature's position in the file, from 1. Fields are the file's own column or property names.
/// </remarks>
public static class MalformedCorpus
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
    private static readonly Encoding Windows1252 = CodePages(1252);

    /// <summary>The worked NIR example (key computed in DirectIdentifiersTests).</summary>
    private const string Nir = "2 55 08 14 168 025 38";

    public static IReadOnlyList<BadInput> All { get; } =
        [.. HealthFiles(), .. TerritoryFiles(), .. Archives(), .. ValueFiles(), .. CatalogueFiles(), .. CodeChangeFiles(), .. LayerFiles(), .. HostileFiles()];

    public static BadInput Get(string name) => All.Single(i => i.Name == name);

    private static IEnumerable<BadInput> HealthFiles()
    {
        BadInput H(string name, Action<string> write, Refusal expected, IngestOptions? options = null, string? secret = null) =>
            new("health: " + name, IngestKind.Health, "health.csv", write, expected) { Options = options ?? IngestOptions.Default, Secret = secret };
        TooManyRejected One(long line, string? field, string reason) => new(new Rejected(line, field, reason));

        // Whole-file faults: the file is not a readable CSV.
        yield return H("empty file", Bytes([]), new RefusedWhole("the file is empty: a header line is expected"));
        yield return H("header only", Text(HealthHeader + "\n"), new RefusedWhole("the file has no data rows"));
        yield return H("header and blank lines only", Text(HealthHeader + "\n\n\n"), new RefusedWhole("the file has no data rows"));
        yield return H("pipe separated: the header is a single column", Text(HealthCsv().Replace(';', '|')),
            new RefusedWhole("the header has a single column", 1));
        yield return H("UTF-16 LE with byte order mark", Bytes([.. Encoding.Unicode.Preamble, .. Encoding.Unicode.GetBytes(HealthCsv())]),
            new RefusedWhole("the file is UTF-16 encoded: save it as UTF-8"));
        yield return H("UTF-16 BE with byte order mark", Bytes([.. Encoding.BigEndianUnicode.Preamble, .. Encoding.BigEndianUnicode.GetBytes(HealthCsv())]),
            new RefusedWhole("the file is UTF-16 encoded: save it as UTF-8"));
        yield return H("UTF-16 LE without byte order mark", Bytes(Encoding.Unicode.GetBytes(HealthCsv())),
            new RefusedWhole("the file contains NUL bytes: it is binary, not a text (CSV) file", 1));
        yield return H("mixed encodings: a Windows-1252 line past the first MiB of UTF-8", Bytes(MixedEncodings()),
            new RefusedWhole("the text is not valid utf-8 here: the file mixes encodings", MixedEncodingsBadLine));
        yield return H("binary: a GeoPackage given as CSV", Copy(DemoWorld.File("territories.gpkg")),
            new RefusedWhole("the file contains NUL bytes: it is binary", 1));
        yield return H("binary: 4 KiB of zero bytes", Bytes(new byte[4096]), new RefusedWhole("the file contains NUL bytes: it is binary", 1));
        yield return H("gzip cut in its first block", Bytes(Gzip(HealthCsv())[..60]), new RefusedWhole("the compressed file is damaged or truncated"));
        yield return H("gzip of the demo health file cut in half", Bytes(HalfOf(DemoWorld.File("health_commune.csv.gz"))),
            new RefusedWhole("the compressed file is damaged or truncated"));
        yield return H("gzip without its last byte", Bytes(File.ReadAllBytes(DemoWorld.File("health_commune.csv.gz"))[..^1]),
            new RefusedWhole("the compressed file is damaged or truncated"));
        yield return H("gzip magic number then garbage", Bytes([0x1f, 0x8b, .. Utf8.GetBytes("this is not deflate data at all")]),
            new RefusedWhole("the file looks gzip-compressed but cannot be decompressed"));
        yield return H("cut mid-record", Text(HealthCsv()[..HealthCsv().LastIndexOf(";J45", StringComparison.Ordinal)]),
            One(11, null, "wrong column count: 3 fields where the header has 8"));
        yield return H("unterminated quote", Text(HealthWithRow(6, "22005;commune;2022;\"J45-J46;F;0-14;5;150")),
            new RefusedWhole("a quoted field opened on line 6 is never closed (truncated file?)", 6));
        yield return H("a line longer than 64 KiB", Text(HealthWith(4, "condition_code", new string('J', 70_000))),
            new RefusedWhole("line 4 is longer than 64 KiB", 4));
        yield return H("a quoted record longer than 64 KiB over many lines",
            Text(HealthWithRow(3, "22002;commune;2022;\"" + string.Join("\n", Enumerable.Repeat(new string('x', 40), 2000)) + "\";F;0-14;2;120")),
            new RefusedWhole("the record starting on line 3 is longer than 64 KiB", 3));
        yield return H("rows separated by commas under a semicolon header", Text(Lines(HealthHeader, HealthRows.Select(r => r.Replace(';', ',')))),
            One(2, null, "wrong column count: 1 fields where the header has 8"));

        // The header: required columns, ambiguous and identifying names.
        foreach (var column in new[] { "territory_code", "condition_code", "sex", "age_band", "cases" })
            yield return H($"no {column} column", Text(HealthWithout(column)), new RefusedWhole($"the header has no '{column}' column", 1, column));
        yield return H("no period column and no --period", Text(HealthWithout("period")), new RefusedWhole("the header has no 'period' column", 1, "period"));
        yield return H("no level column and no --level", Text(HealthWithout("level")),
            new RefusedWhole("the file has no 'level' column and no level was given", 1, "level"));
        yield return H("two columns with the same name", Text(HealthWithHeader(HealthHeader.Replace("age_band", "SEX", StringComparison.Ordinal))),
            new RefusedWhole("two columns have this name", 1, "sex"));
        foreach (var (column, kind) in new[]
                 {
                     ("Prénom", "a person's first name"), ("Date de naissance", "a birth date"), ("NIR", "a NIR (social-security number)"),
                     ("Numéro de sécurité sociale", "a NIR (social-security number)"), ("Courriel", "an e-mail address"),
                     ("Téléphone", "a phone number"), ("Adresse", "a postal address"),
                 })
            yield return H($"identifying column '{column}'", Text(HealthWithExtraColumn(column, 0, "")),
                new RefusedWhole($"this column holds {kind}, a direct identifier: only pseudonymised aggregates are accepted, so the whole file is refused", 1, column));

        // Direct identifiers in values: the line and column are named, the value never.
        yield return H("a NIR in a note on line 7", Text(HealthWithExtraColumn("note", 7, Nir)),
            new RefusedWhole("a value here is a NIR (social-security number), a direct identifier", 7, "note"), secret: Nir);
        yield return H("a Corsican NIR on line 4", Text(HealthWithExtraColumn("note", 4, "185052A01234579")),
            new RefusedWhole("a value here is a NIR (social-security number), a direct identifier", 4, "note"), secret: "185052A01234579");
        yield return H("a NIR instead of a territory code on line 5", Text(HealthWith(5, "territory_code", "255081416802538")),
            new RefusedWhole("a value here is a NIR (social-security number), a direct identifier", 5, "territory_code"), secret: "255081416802538");
        yield return H("an e-mail address as a column name", Text(HealthWithExtraColumn("jean.dupont@example.fr", 0, "")),
            new RefusedWhole("this header cell holds an e-mail address, a direct identifier", 1, "#9"), secret: "jean.dupont@example.fr");
        yield return H("an e-mail address on line 9", Text(HealthWithExtraColumn("contact", 9, "jeanne.martin@example.fr")),
            new RefusedWhole("a value here is an e-mail address, a direct identifier", 9, "contact"), secret: "jeanne.martin@example.fr");
        yield return H("a phone number on line 3", Text(HealthWithExtraColumn("contact", 3, "06 12 34 56 78")),
            new RefusedWhole("a value here is a phone number, a direct identifier", 3, "contact"), secret: "06 12 34 56 78");
        yield return H("an international phone number on line 11", Text(HealthWithExtraColumn("contact", 11, "+33 6 12 34 56 78")),
            new RefusedWhole("a value here is a phone number, a direct identifier", 11, "contact"), secret: "+33 6 12 34 56 78");

        // Inside free text, split by invisible characters, or in a row that would be quarantined: still the whole file.
        yield return H("a NIR inside a note's free text on line 6", Text(HealthWithExtraColumn("note", 6, "NIR 185057800608491 Dupont")),
            new RefusedWhole("a value here is a NIR (social-security number), a direct identifier", 6, "note"), secret: "185057800608491");
        yield return H("an e-mail address inside free text on line 8", Text(HealthWithExtraColumn("note", 8, "contact jean.dupont@example.fr")),
            new RefusedWhole("a value here is an e-mail address, a direct identifier", 8, "note"), secret: "jean.dupont@example.fr");
        yield return H("a NIR split by zero-width spaces on line 2", Text(HealthWithExtraColumn("note", 2, "1850578\u200B00608491")),
            new RefusedWhole("a value here is a NIR (social-security number), a direct identifier", 2, "note"), secret: "00608491");
        yield return H("a NIR in a record with a field too many on line 5", Text(HealthWithRow(5, HealthRows[3] + ";NIR 185057800608491")),
            new RefusedWhole("a value here is a NIR (social-security number), a direct identifier", 5, "#9"), secret: "185057800608491");

        // Record faults: one bad record of ten is more than the 5% allowed.
        yield return H("text in the cases field", Text(HealthWith(4, "cases", "douze")), One(4, "cases", "'douze' is not a whole number of cases"));
        yield return H("a negative count", Text(HealthWith(5, "cases", "-3")), One(5, "cases", "negative count of cases"));
        yield return H("a count with a decimal comma", Text(HealthWith(6, "cases", "2,5")), One(6, "cases", "'2,5' is not a whole number of cases"));
        yield return H("a count with a decimal point", Text(HealthWith(7, "cases", "2.5")), One(7, "cases", "'2.5' is not a whole number of cases"));
        yield return H("a count too large to be an aggregate", Text(HealthWith(3, "cases", "99999999999")), One(3, "cases", "count of cases too large to be an aggregate"));
        yield return H("more cases than population", Text(HealthWith(8, "cases", "500")), One(8, "cases", "more cases than population"));
        yield return H("text in the population field", Text(HealthWith(9, "population", "beaucoup")),
            One(9, "population", "'beaucoup' is not a population (a whole number ≥ 0)"));
        yield return H("an unknown territory code", Text(HealthWith(3, "territory_code", "99999")),
            One(3, "territory_code", "unknown territory code '99999' for level commune (vintage 2024)"));
        yield return H("an unknown condition code", Text(HealthWith(10, "condition_code", "Z99")),
            One(10, "condition_code", "unknown condition 'Z99': not a catalogue code nor a CIM-10 code the catalogue covers"));
        yield return H("a period in the future", Text(HealthWith(2, "period", "2031")), One(2, "period", "period out of range: '2031' is not between 1980 and 2026"));
        yield return H("a period before 1980", Text(HealthWith(2, "period", "1975")), One(2, "period", "period out of range: '1975' is not between 1980 and 2026"));
        yield return H("a month 13", Text(HealthWith(4, "period", "2022-13")), One(4, "period", "'2022-13' is not a period"));
        yield return H("an unknown level", Text(HealthWith(5, "level", "canton")), One(5, "level", "unknown territory level 'canton'"));
        yield return H("a level with no territories loaded", Text(HealthWith(5, "level", "iris")),
            new RefusedWhole("no territories of level 'iris' are loaded yet", null, "level"));
        yield return H("an unknown --level for a file without level column", Text(HealthWithout("level")),
            One(2, "level", "unknown territory level 'canton'"), new IngestOptions { Level = "canton" });
        yield return H("a --period that is no period for a file without period column", Text(HealthWithout("period")),
            One(2, "period", "'l'an dernier' is not a period"), new IngestOptions { Period = "l'an dernier" });
        yield return H("an unknown sex", Text(HealthWith(6, "sex", "X")), One(6, "sex", "'X' is not a sex (expected M, F or T for both)"));
        yield return H("an upside-down age band", Text(HealthWith(7, "age_band", "14-0")), One(7, "age_band", "'14-0' is not an age band"));
        yield return H("a record with a field too many", Text(HealthWithRow(8, HealthRows[6] + ";x")), One(8, null, "wrong column count: 9 fields where the header has 8"));
        yield return H("a record with a field missing", Text(HealthWithRow(8, HealthRows[6][..HealthRows[6].LastIndexOf(';')])),
            One(8, null, "wrong column count: 7 fields where the header has 8"));
        yield return H("a repeated key", Text(HealthWithRow(7, HealthRows[1])),
            new TooManyRejected(new Rejected(3, null, "duplicate key: the same territory, period, condition, sex and age band appear again later in the file"),
                new Rejected(7, null, "duplicate key: the same territory, period, condition, sex and age band as line 3")));
    }

    private static IEnumerable<BadInput> TerritoryFiles()
    {
        var custom = new IngestOptions { Level = "custom", Vintage = 2024 };
        BadInput T(string name, Action<string> write, Refusal expected, IngestOptions? options = null, string? secret = null) =>
            new("territories: " + name, IngestKind.Territories, "zones.geojson", write, expected) { Options = options ?? custom, Secret = secret };
        TooManyRejected One(long line, string field, string reason) => new(new Rejected(line, field, reason));
        var zones = ZonesGeoJson("Y");

        yield return T("empty file", Bytes([]), new RefusedWhole("the file is empty"));
        yield return T("invalid JSON on line 3", Text(zones.Replace("\"code\":\"Y2\"", "\"code\":'Y2'", StringComparison.Ordinal)),
            new RefusedWhole("not valid GeoJSON", 3));
        yield return T("JSON cut in the middle of line 3", Text(zones[..zones.IndexOf("Y2", StringComparison.Ordinal)]), new RefusedWhole("not valid GeoJSON", 3));
        yield return T("zero bytes given as GeoJSON", Bytes(new byte[64]), new RefusedWhole("not valid GeoJSON", 1));
        yield return T("JSON that is a single Feature", Text(Feature("Y1", Square(-1.7, 48.1))),
            new RefusedWhole("this is JSON but not a GeoJSON FeatureCollection"));
        yield return T("JSON that is an array", Text("[1, 2, 3]"), new RefusedWhole("this is JSON but not a GeoJSON FeatureCollection"));
        yield return T("a FeatureCollection without features", Text(FeatureCollection()), new RefusedWhole("the file has no features"));
        yield return T("an empty polygon", Text(ZonesWith(2, "{\"type\":\"Polygon\",\"coordinates\":[]}")), One(2, "geometry", "empty geometry"));
        yield return T("a null geometry", Text(ZonesWith(2, "null")), One(2, "geometry", "feature without a geometry"));
        yield return T("a point among the polygons", Text(ZonesWith(2, "{\"type\":\"Point\",\"coordinates\":[-1.66,48.1]}")),
            One(2, "geometry", "not a polygon but a point"));
        yield return T("a line among the polygons", Text(ZonesWith(3, "{\"type\":\"LineString\",\"coordinates\":[[-1.66,48.1],[-1.65,48.11]]}")),
            One(3, "geometry", "not a polygon but a linestring"));
        yield return T("degrees declared as EPSG:2154", Text(WithCrs(zones, "urn:ogc:def:crs:EPSG::2154")),
            new TooManyRejected(Enumerable.Range(1, 3).Select(i => new Rejected(i, "geometry", "coordinates look like degrees, not the metres of EPSG:2154: is the CRS wrong?")).ToArray()));
        yield return T("Lambert-93 metres with no crs member, so read as EPSG:4326",
            Text(FeatureCollection(Enumerable.Range(1, 3).Select(i => Feature($"Y{i}", Square(350_000 + 2000 * i, 6_790_000, 1000))).ToArray())),
            new TooManyRejected(Enumerable.Range(1, 3).Select(i => new Rejected(i, "geometry", "coordinates outside longitude/latitude ranges: the file is probably not in EPSG:4326")).ToArray()));
        yield return T("a crs member naming no known system", Text(WithCrs(zones, "Lambert carto maison")),
            new RefusedWhole("the GeoJSON 'crs' member names a coordinate system this loader cannot identify", null, "crs"));
        yield return T("a crs member with an EPSG code PostGIS does not know", Text(WithCrs(zones, "urn:ogc:def:crs:EPSG::99999")),
            new RefusedWhole("EPSG:99999 is not a coordinate system PostGIS knows", null, "crs"));
        yield return T("a repeated territory code",
            Text(FeatureCollection(Feature("Y1", Square(-1.68, 48.1)), Feature("Y1", Square(-1.66, 48.1)), Feature("Y3", Square(-1.64, 48.1)))),
            new TooManyRejected(new Rejected(1, "code", "duplicate key: code 'Y1' appears 2 times in the file; none of them is loaded"),
                new Rejected(2, "code", "duplicate key: code 'Y1' appears 2 times in the file; none of them is loaded")));
        yield return T("no code property", Text(zones.Replace("\"code\"", "\"ident\"", StringComparison.Ordinal)),
            new RefusedWhole("no territory code property found (properties: ident)", null, "code"));
        yield return T("a code with spaces and a slash", Text(zones.Replace("\"Y2\"", "\"Y 2/3\"", StringComparison.Ordinal)),
            One(2, "code", "'Y 2/3' is not a territory code"));
        yield return T("a territory name holding a NIR in feature 2",
            Text(FeatureCollection(Feature("Y1", Square(-1.68, 48.1)), Feature("Y2", Square(-1.66, 48.1), ",\"name\":\"Dupont 185057800608491\""), Feature("Y3", Square(-1.64, 48.1)))),
            new RefusedWhole("a value here is a NIR (social-security number), a direct identifier", 2, "name"), secret: "185057800608491");
        yield return T("territories already loaded for this level and vintage", Copy(DemoWorld.File("territories_departement.geojson")),
            new TooManyRejected(Enumerable.Range(1, 5).Select(i => new Rejected(i, "code", "already loaded for this level and vintage")).ToArray()),
            new IngestOptions { Level = "departement", Vintage = 2024, ParentLevel = "region" });
        yield return T("no level given", Text(zones), new RefusedWhole("give the level of these territories", null, "level"), new IngestOptions { Vintage = 2024 });
        yield return T("an unknown level", Text(zones), new RefusedWhole("give the level of these territories", null, "level"),
            new IngestOptions { Level = "canton", Vintage = 2024 });
        yield return T("no vintage given", Text(zones), new RefusedWhole("give the zoning vintage", null, "vintage"), new IngestOptions { Level = "custom" });
        yield return T("an unknown parent code",
            Text(FeatureCollection(Enumerable.Range(1, 3).Select(i => Feature($"Y{i}", Square(-1.70 + 0.02 * i, 48.1), $",\"parent_code\":\"{(i == 2 ? "99" : "35")}\"")).ToArray())),
            One(2, "parent", "unknown parent code '99'"), custom with { ParentField = "parent_code" });
        yield return T("an unknown parent level", Text(zones), new RefusedWhole("unknown parent level 'canton'", null, "parentLevel"),
            custom with { ParentLevel = "canton" });
        yield return T("a parent property that is not in the file", Text(zones), new RefusedWhole("no such property in the file", null, "code_dep"),
            custom with { ParentField = "code_dep" });
    }

    private static IEnumerable<BadInput> Archives()
    {
        var custom = new IngestOptions { Level = "custom", Vintage = 2024 };
        BadInput A(string name, string fileName, Action<string> write, Refusal expected, IngestOptions? options = null) =>
            new("archives: " + name, IngestKind.Territories, fileName, write, expected) { Options = options ?? custom };

        yield return A("a zipped Shapefile without .prj", "zones.zip", Zip(ShapefileParts("zones")),
            new RefusedWhole("the file does not say its coordinate system (a Shapefile without .prj?)", null, "crs"));
        yield return A("a zipped Shapefile with a .prj no one knows", "zones.zip", Zip([.. ShapefileParts("zones"), ("zones.prj", Utf8.GetBytes(UnknownPrj))]),
            new RefusedWhole("the coordinate system 'Local_Grid_Of_The_Survey' is not one this loader recognises", null, ".prj"));
        yield return A("a zip with two .shp", "zones.zip", Zip([.. ShapefileParts("north"), .. ShapefileParts("south")]),
            new RefusedWhole("the archive holds 2 .shp files: load them one at a time"));
        yield return A("a zip with no .shp", "zones.zip", Zip(("LISEZMOI.txt", Utf8.GetBytes("rien ici"))),
            new RefusedWhole("the archive holds no .shp file: a zipped Shapefile is expected"));
        yield return A("a zipped Shapefile without .dbf", "zones.zip", Zip(ShapefileParts("zones").Where(p => !p.Name.EndsWith(".dbf", StringComparison.Ordinal)).ToArray()),
            new RefusedWhole("the Shapefile has no .dbf file beside its .shp"));
        yield return A("a zip bomb: 512 MiB of zeros in one entry", "zones.zip", ZipBomb,
            new RefusedWhole("beyond the 200 allowed: refused as a possible zip bomb"));
        yield return A("a zip with too many entries", "zones.zip", Zip(Enumerable.Range(1, 40).Select(i => ($"part{i}.txt", Utf8.GetBytes("x"))).ToArray()),
            new RefusedWhole("the archive has 40 entries, more than the 32 a zipped Shapefile needs"));
        yield return A("a zip signature then garbage", "zones.zip", Bytes([.. "PK\u0003\u0004"u8, .. new byte[100]]), new RefusedWhole("not a readable zip archive"));
        yield return A("a GeoPackage with several layers and none chosen", "territories.gpkg", Copy(DemoWorld.File("territories.gpkg")),
            new RefusedWhole("the GeoPackage has several layers (commune, departement, epci, region): name the one to load with --level or --layer-name"));
        yield return A("a GeoPackage without the layer named", "territories.gpkg", Copy(DemoWorld.File("territories.gpkg")),
            new RefusedWhole("the GeoPackage has several layers (commune, departement, epci, region)"), new IngestOptions { Level = "iris", Vintage = 2024 });
        yield return A("an SQLite database that is no GeoPackage", "zones.gpkg", PlainSqlite, new RefusedWhole("not a readable GeoPackage"));
    }

    private static IEnumerable<BadInput> ValueFiles()
    {
        BadInput V(string name, Action<string> write, Refusal expected, IngestOptions? options = null, string? secret = null) =>
            new("values: " + name, IngestKind.Socio, "socio.csv", write, expected) { Options = options ?? SocioOptions, Secret = secret };
        TooManyRejected One(long line, string? field, string reason) => new(new Rejected(line, field, reason));

        yield return V("a repeated territory and year", Text(SocioWithRow(6, SocioRows[1])),
            One(6, "commune_code", "duplicate key: territory '22002', indicator median_income, period 2022 already has a value"));
        yield return V("text in a numeric field", Text(SocioWith(5, "unemployment_rate", "beaucoup")),
            One(5, "unemployment_rate", "text in a numeric field: 'beaucoup' is not a number"));
        yield return V("an unknown territory code", Text(SocioWith(3, "commune_code", "99999")),
            One(3, "commune_code", "unknown territory code '99999' for level commune (vintage 2024)"));
        yield return V("a year in the future", Text(SocioWith(4, "year", "2031")), One(4, "year", "period out of range: '2031' is after 2026"));
        // A blank line at the end makes it another file than the base one, which is loaded already (and would be left unchanged).
        yield return V("a mapping to an indicator the catalogue lacks", Text(SocioCsv() + "\n"),
            new RefusedWhole("unknown indicator code 'revenu_median' in the column mapping: it is not in the catalogue", 1, "median_income_eur"),
            new IngestOptions { Columns = new Dictionary<string, string> { ["median_income_eur"] = "revenu_median" } });
        yield return V("no column named after an indicator", Text(SocioCsv().Replace("unemployment_rate", "chomage", StringComparison.Ordinal)),
            new RefusedWhole("no column matches a catalogue indicator", 1), IngestOptions.Default);
        yield return V("no period column and no --period", Text(SocioCsv().Replace("year", "millesime_geo", StringComparison.Ordinal)),
            new RefusedWhole("the file has no period or year column", 1, "period"));
        yield return V("an unknown indicator in a long file",
            Text(Lines("commune_code;year;indicator;value", Enumerable.Range(1, 10).Select(i => $"{22000 + i};2022;{(i == 4 ? "revenu_median" : "median_income")};2{i}000"))),
            One(5, "indicator", "unknown indicator code 'revenu_median': it is not in the catalogue"), IngestOptions.Default);
        yield return V("an unknown --level for a file without level column", Text(SocioCsv()),
            One(2, "level", "unknown territory level 'canton'"), SocioOptions with { Level = "canton" });
        yield return V("identifying column 'Adresse'", Text(Lines(SocioHeader + ";Adresse", SocioRows.Select(r => r + ";"))),
            new RefusedWhole("this column holds a postal address, a direct identifier", 1, "Adresse"));
        yield return V("an e-mail address on line 8", Text(Lines(SocioHeader + ";contact", SocioRows.Select((r, i) => r + ";" + (i == 6 ? "maire@plerin.example.fr" : "")))),
            new RefusedWhole("a value here is an e-mail address, a direct identifier", 8, "contact"), secret: "maire@plerin.example.fr");
    }

    private static IEnumerable<BadInput> CatalogueFiles()
    {
        var lines = File.ReadAllLines(DemoWorld.Catalogue, Utf8);
        var header = lines[0];
        var rows = lines[1..4];
        BadInput C(string name, IEnumerable<string> content, Refusal expected) =>
            new("catalogue: " + name, IngestKind.Catalog, "indicators.csv", Text(Lines(header, content)), expected);
        string Field(string row, int index, string value)
        {
            var fields = row.Split(';');
            fields[index] = value;
            return string.Join(';', fields);
        }
        var domain = header.Split(';').ToList().IndexOf("domain");

        yield return C("an indicator defined twice", [.. rows, rows[0]],
            new TooManyRejected(new Rejected(5, "code", "duplicate key: indicator 'hosp_asthma' is already defined on line 2")));
        yield return C("an unknown domain", [rows[0], Field(rows[1], domain, "vegetal"), rows[2]],
            new TooManyRejected(new Rejected(3, "domain", "'vegetal' is not a domain (human, animal, environment, socio-economic)")));
        yield return C("a code that is no identifier", [Field(rows[0], 0, "Hosp Asthma"), rows[1], rows[2]],
            new TooManyRejected(new Rejected(2, "code", "'Hosp Asthma' is not an indicator code")));
        yield return new("catalogue: no licence column", IngestKind.Catalog, "indicators.csv",
            Text(string.Join('\n', lines[..4]).Replace(";licence;", ";licence_url;", StringComparison.Ordinal) + "\n"),
            new RefusedWhole("the header has no 'licence' column", 1, "licence"));
    }

    private static IEnumerable<BadInput> CodeChangeFiles()
    {
        BadInput K(string name, string content, Refusal expected, IngestOptions? options = null) =>
            new("code changes: " + name, IngestKind.CodeChanges, "code-changes.csv", Text(content), expected) { Options = options ?? IngestOptions.Default };
        TooManyRejected One(long line, string field, string reason) => new(new Rejected(line, field, reason));

        yield return K("a code that changes twice in one vintage", "old_code;new_code;vintage\n22997;22002;2024\n22997;22003;2024\n",
            One(3, "old_code", "duplicate key: code '22997' already changes in 2024"));
        yield return K("a code replaced by itself", "old_code;new_code;vintage\n22997;22997;2024\n22996;22002;2024\n",
            One(2, "new_code", "a code change needs two different, non-empty codes"));
        yield return K("a vintage that is no year", "old_code;new_code;vintage\n22997;22002;vingt\n22996;22002;2024\n",
            One(2, "vintage", "'vingt' is not a vintage year"));
        yield return K("an unknown --level for a file without level column", "old_code;new_code;vintage\n22997;22002;2024\n",
            One(2, "level", "unknown territory level 'canton'"), new IngestOptions { Level = "canton" });
        yield return K("no new_code column", "old_code;code_cible;vintage\n22997;22002;2024\n", new RefusedWhole("the header has no 'new_code' column", 1, "new_code"));
    }

    private static IEnumerable<BadInput> LayerFiles()
    {
        var grid = new IngestOptions { Layer = "grid", CellSize = 1000, Srid = 2154, Columns = new Dictionary<string, string> { ["pm25_ugm3"] = "pm25_annual" } };
        var stations = new IngestOptions { Layer = "stations", Srid = 2154, Columns = new Dictionary<string, string> { ["no2_ugm3"] = "no2_station" } };
        var polygons = new IngestOptions { Layer = "polygons", Period = "2022", Columns = new Dictionary<string, string> { ["pm25"] = "pm25_annual" } };
        BadInput L(string name, string fileName, Action<string> write, Refusal expected, IngestOptions options, string? secret = null) =>
            new("layers: " + name, IngestKind.Environment, fileName, write, expected) { Options = options, Secret = secret };
        const string gridHeader = "x_l93;y_l93;year;pm25_ugm3";
        string[] gridRows = ["350500;6790500;2022;9.9", "351500;6790500;2022;8,6", "352500;6790500;2022;10.1", "353500;6790500;2022;7.5"];

        yield return L("a grid cell with a coordinate in words", "grid.csv", Text(Lines(gridHeader, gridRows.Select((r, i) => i == 1 ? "trois cent mille;6790500;2022;8,6" : r))),
            new TooManyRejected(new Rejected(3, "x_l93", "text in a numeric field: a coordinate must be a number")), grid);
        // Cells of 1 km around centres given in degrees reach beyond ±180: they are caught as being far from every territory.
        yield return L("a grid in degrees declared as EPSG:2154", "grid.csv", Text(Lines(gridHeader, ["-1.68;48.11;2022;9.9", "-1.67;48.11;2022;8.6"])),
            new TooManyRejected(new Rejected(null, "geometry", "geometry outside the extent of the loaded territories (more than 25 km away): wrong coordinates or CRS?")), grid);
        yield return L("stations in degrees declared as EPSG:2154", "stations.csv",
            Text("station_code;x_l93;y_l93;year;no2_ugm3\nFR99001;-1.68;48.11;2021;30.5\nFR99002;-1.67;48.11;2021;28.1\n"),
            new TooManyRejected(new Rejected(null, "geometry", "coordinates look like degrees, not the metres of EPSG:2154: is the CRS wrong? (feature FR99001)")), stations);
        yield return L("an unknown layer kind", "grid.csv", Text(Lines(gridHeader, gridRows)),
            new RefusedWhole("unknown layer kind 'raster' (grid, stations, polygons or points)", null, "layer"), grid with { Layer = "raster" });
        yield return L("a station that moves", "stations.csv",
            Text("station_code;x_l93;y_l93;year;no2_ugm3\nFR99001;350000;6790000;2021;30.5\nFR99001;351000;6790000;2022;28.1\n"),
            new TooManyRejected(new Rejected(3, "x_l93", "station FR99001 moves: its coordinates differ from an earlier record")), stations);
        yield return L("a point in a polygon layer", "zones.geojson",
            Text(FeatureCollection(Feature("P1", Square(-1.68, 48.1)), Feature("P2", "{\"type\":\"Point\",\"coordinates\":[-1.66,48.1]}"), Feature("P3", Square(-1.64, 48.1)))),
            new TooManyRejected(new Rejected(2, "geometry", "not a polygon but a Point in a polygons layer")), polygons);
        yield return L("a layer from a GeoPackage of several layers, none named", "territories.gpkg", Copy(DemoWorld.File("territories.gpkg")),
            new RefusedWhole("the GeoPackage has several layers (commune, departement, epci, region)"), polygons);
        yield return L("an e-mail address as the code of feature 2", "zones.geojson",
            Text(FeatureCollection(Feature("P1", Square(-1.68, 48.1)), Feature("eleveur.dupont@example.fr", Square(-1.66, 48.1)), Feature("P3", Square(-1.64, 48.1)))),
            new RefusedWhole("a value here is an e-mail address, a direct identifier", 2, "code"), polygons, secret: "eleveur.dupont@example.fr");
        yield return L("a phone number in a property of feature 3", "zones.geojson",
            Text(FeatureCollection(Enumerable.Range(1, 3).Select(i => Feature($"P{i}", Square(-1.70 + 0.02 * i, 48.1), i == 3 ? ",\"contact\":\"02 99 12 34 56\"" : ",\"contact\":\"\"")).ToArray())),
            new RefusedWhole("a value here is a phone number, a direct identifier", 3, "contact"), polygons, secret: "02 99 12 34 56");
    }

    /// <summary>
    /// Files crafted to hang, exhaust or escape the loader rather than merely wrong: each must end in
    /// a named refusal, quickly and in bounded memory (the big ones are generated while streaming).
    /// </summary>
    private static IEnumerable<BadInput> HostileFiles()
    {
        var custom = new IngestOptions { Level = "custom", Vintage = 2024 };
        var grid = new IngestOptions { Layer = "grid", CellSize = 1000, Srid = 2154, Columns = new Dictionary<string, string> { ["pm25_ugm3"] = "pm25_annual" } };
        var polygons = new IngestOptions { Layer = "polygons", Period = "2022", Columns = new Dictionary<string, string> { ["pm25"] = "pm25_annual" } };
        BadInput X(string name, IngestKind kind, string fileName, Action<string> write, Refusal expected, IngestOptions? options = null) =>
            new("hostile: " + name, kind, fileName, write, expected) { Options = options ?? IngestOptions.Default };
        const string climbsOut = "has a path that is absolute or climbs out with '..': refused as a crafted archive";

        yield return X("a zip entry named dir/..", IngestKind.Territories, "zones.zip", Zip([.. ShapefileParts("zones"), ("dir/..", Utf8.GetBytes("x"))]),
            new RefusedWhole("the archive entry 'dir/..' " + climbsOut), custom);
        yield return X("a zip entry climbing out with ../", IngestKind.Territories, "zones.zip", Zip([.. ShapefileParts("zones"), ("../../evil.prj", Utf8.GetBytes("x"))]),
            new RefusedWhole("the archive entry '../../evil.prj' " + climbsOut), custom);
        yield return X("a zip entry with an absolute path", IngestKind.Territories, "zones.zip", Zip([.. ShapefileParts("zones"), ("/tmp/evil.prj", Utf8.GetBytes("x"))]),
            new RefusedWhole("the archive entry '/tmp/evil.prj' " + climbsOut), custom);
        yield return X("a GeoJSON coordinate of 100,000 digits", IngestKind.Territories, "zones.geojson",
            Text(ZonesWith(2, "{\"type\":\"Polygon\",\"coordinates\":[[[-1.66,48.1],[" + new string('9', 100_000) + ",48.1],[-1.65,48.11],[-1.66,48.1]]]}")),
            new TooManyRejected(new Rejected(2, "geometry", "coordinates outside longitude/latitude ranges")), custom);
        yield return X("a value of 100,000 digits in a polygon layer", IngestKind.Environment, "zones.geojson",
            Text(FeatureCollection(Enumerable.Range(1, 3).Select(i => Feature($"P{i}", Square(-1.70 + 0.02 * i, 48.1), i == 2 ? ",\"pm25\":" + new string('7', 100_000) : ",\"pm25\":8.5")).ToArray())),
            new RefusedWhole("not valid GeoJSON: Number value cannot be boxed"), polygons);
        yield return X("a count of 60,000 digits in a CSV", IngestKind.Health, "health.csv", Text(HealthWith(4, "cases", new string('9', 60_000))),
            OneRejected(4, "cases", "is not a whole number of cases"));
        yield return X("a value of NaN in a numeric field", IngestKind.Socio, "socio.csv", Text(SocioWith(5, "unemployment_rate", "NaN")),
            OneRejected(5, "unemployment_rate", "text in a numeric field: 'NaN' is not a number"), SocioOptions);
        yield return X("a value of -Infinity in a numeric field", IngestKind.Socio, "socio.csv", Text(SocioWith(6, "unemployment_rate", "-Infinity")),
            OneRejected(6, "unemployment_rate", "text in a numeric field: '-Infinity' is not a number"), SocioOptions);
        foreach (var size in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            yield return X($"a grid cellSize of {size}", IngestKind.Environment, "grid.csv", Text("x_l93;y_l93;year;pm25_ugm3\n350500;6790500;2022;9.9\n"),
                new RefusedWhole("the grid cell size must be a finite number of metres", null, "cellSize"), grid with { CellSize = size });
        yield return X("a maxRejectedShare of NaN", IngestKind.Health, "health.csv", Text(HealthCsv() + "\n"),
            new RefusedWhole("the share of rejected rows allowed must be a number between 0 and 1", null, "maxRejectedShare"), new IngestOptions { MaxRejectedShare = double.NaN });
        yield return X("a GeoPackage geometry blob cut short", IngestKind.Territories, "zones.gpkg",
            GeoPackage("zones", [0x47, 0x50, 0x00, 0x01, 0xE6, 0x10, 0x00, 0x00, 0x01, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00]),
            new RefusedWhole("the geometry blob is malformed and cannot be read", 1, "geom"), custom);
        yield return X("a GeoPackage geometry blob announcing 2^31 rings", IngestKind.Territories, "zones.gpkg",
            GeoPackage("zones", [0x47, 0x50, 0x00, 0x01, 0xE6, 0x10, 0x00, 0x00, 0x01, 0x03, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x7F]),
            new RefusedWhole("the geometry blob is malformed and cannot be read", 1, "geom"), custom);
        yield return X("a GeoPackage geometry that is text", IngestKind.Territories, "zones.gpkg", GeoPackage("zones", null),
            new RefusedWhole("the geometry is not a GeoPackage geometry blob", 1, "geom"), custom);
        yield return X("a GeoPackage layer that is a recursive view without end", IngestKind.Territories, "zones.gpkg", RecursiveViewGeoPackage,
            new RefusedWhole("the layer 'zones' is a view, not a table: only feature tables are read from a GeoPackage"), custom);
        yield return X("a gzip of one 64 MiB line", IngestKind.Health, "health.csv.gz", path => GzipOfOneHugeLine(path, HealthHeader, 64 << 20),
            new RefusedWhole("line 2 is longer than 64 KiB", 2));
    }

    private static TooManyRejected OneRejected(long line, string? field, string reason) => new(new Rejected(line, field, reason));

    /// <summary>A gzip file holding <paramref name="header"/> then one line of <paramref name="chars"/> characters, streamed (never in memory).</summary>
    public static void GzipOfOneHugeLine(string path, string header, long chars)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(Utf8.GetBytes(header + "\n"));
        var block = new byte[1 << 20];
        Array.Fill(block, (byte)'7');
        for (long written = 0; written < chars; written += block.Length)
            gzip.Write(block, 0, (int)Math.Min(block.Length, chars - written));
        gzip.Write("\n"u8);
    }

    /// <summary>A one-layer GeoPackage (EPSG:4326) whose single feature has <paramref name="blob"/> as geometry (text when null).</summary>
    private static Action<string> GeoPackage(string layer, byte[]? blob) => path =>
    {
        using var connection = OpenGeoPackage(path, layer);
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE TABLE {layer} (fid INTEGER PRIMARY KEY, code TEXT, geom BLOB); INSERT INTO {layer} (code, geom) VALUES ('Y1', $geom);";
        command.Parameters.AddWithValue("$geom", (object?)blob ?? "POLYGON((0 0, 1 0, 1 1, 0 0))");
        command.ExecuteNonQuery();
    };

    /// <summary>A GeoPackage whose only feature layer is a view that recurses without end: reading it would never finish.</summary>
    private static void RecursiveViewGeoPackage(string path)
    {
        using var connection = OpenGeoPackage(path, "zones");
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE VIEW zones AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n AS fid, 'Y' || n AS code, zeroblob(1000) AS geom FROM r;";
        command.ExecuteNonQuery();
    }

    /// <summary>The GeoPackage metadata tables listing <paramref name="layer"/> as a feature layer in EPSG:4326.</summary>
    private static SqliteConnection OpenGeoPackage(string path, string layer)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY, organization TEXT, organization_coordsys_id INTEGER, definition TEXT, description TEXT);
            INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84', 4326, 'EPSG', 4326, '', '');
            CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, identifier TEXT, description TEXT, last_change TEXT, min_x REAL, min_y REAL, max_x REAL, max_y REAL, srs_id INTEGER);
            INSERT INTO gpkg_contents (table_name, data_type, srs_id) VALUES ('{layer}', 'features', 4326);
            CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT, srs_id INTEGER, z INTEGER, m INTEGER);
            INSERT INTO gpkg_geometry_columns VALUES ('{layer}', 'geom', 'POLYGON', 4326, 0, 0);
            """;
        command.ExecuteNonQuery();
        return connection;
    }

    // Writers.

    private static Action<string> Text(string text) => path => File.WriteAllText(path, text, Utf8);

    private static Action<string> Bytes(byte[] bytes) => path => File.WriteAllBytes(path, bytes);

    private static Action<string> Copy(string source) => path => File.Copy(source, path, overwrite: true);

    private static Action<string> Zip(params (string Name, byte[] Bytes)[] entries) => path =>
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, bytes) in entries)
        {
            using var stream = zip.CreateEntry(name).Open();
            stream.Write(bytes);
        }
    };

    /// <summary>512 MiB of zeros deflated into about half a MiB (1,000 to 1), streamed: never more than 1 MiB in memory, half a MiB on disk.</summary>
    private static void ZipBomb(string path)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using var stream = zip.CreateEntry("zones.shp", CompressionLevel.Optimal).Open();
        var zeros = new byte[1 << 20];
        for (var i = 0; i < 512; i++)
            stream.Write(zeros);
    }

    private static void PlainSqlite(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE zones (code TEXT, wkt TEXT); INSERT INTO zones VALUES ('Y1', 'POINT (0 0)');";
        command.ExecuteNonQuery();
    }

    /// <summary>The .shp, .shx and .dbf (and .cpg) of three square zones in Lambert-93 near Rennes, with no .prj.</summary>
    private static (string Name, byte[] Bytes)[] ShapefileParts(string stem)
    {
        var folder = Directory.CreateTempSubdirectory("analytics-corpus-shp-");
        try
        {
            var factory = new GeometryFactory();
            var features = Enumerable.Range(1, 3).Select(i =>
            {
                var x = 350_000 + 2000 * i;
                var square = factory.CreatePolygon([new(x, 6_790_000), new(x + 1000, 6_790_000), new(x + 1000, 6_791_000), new(x, 6_791_000), new(x, 6_790_000)]);
                return (IFeature)new NetTopologySuite.Features.Feature(square, new AttributesTable { { "code", $"{stem[..1].ToUpperInvariant()}{i}" } });
            });
            Shapefile.WriteAllFeatures(features, Path.Combine(folder.FullName, stem + ".shp"));
            return Directory.GetFiles(folder.FullName).Select(f => (Path.GetFileName(f), File.ReadAllBytes(f))).ToArray();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private const string UnknownPrj =
        "PROJCS[\"Local_Grid_Of_The_Survey\",GEOGCS[\"GCS_Unknown\",DATUM[\"D_Unknown\",SPHEROID[\"GRS_1980\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]," +
        "PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",-1.5],PARAMETER[\"Scale_Factor\",1.0],PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";

    // Health files derived from the base one.

    private static string HealthWith(int line, string column, string value) => SetField(HealthHeader, HealthRows, line, column, value);

    private static string HealthWithRow(int line, string row) => Lines(HealthHeader, HealthRows.Select((r, i) => i + 2 == line ? row : r));

    private static string HealthWithHeader(string header) => Lines(header, HealthRows);

    private static string HealthWithout(string column)
    {
        var index = HealthHeader.Split(';').ToList().IndexOf(column);
        string Drop(string line) => string.Join(';', line.Split(';').Where((_, i) => i != index));
        return Lines(Drop(HealthHeader), HealthRows.Select(Drop));
    }

    /// <summary>The base file with one more column, empty except on <paramref name="line"/>.</summary>
    private static string HealthWithExtraColumn(string column, int line, string value) =>
        Lines(HealthHeader + ";" + column, HealthRows.Select((r, i) => r + ";" + (i + 2 == line ? value : "")));

    private static string SocioWith(int line, string column, string value) => SetField(SocioHeader, SocioRows, line, column, value);

    private static string SocioWithRow(int line, string row) => Lines(SocioHeader, SocioRows.Select((r, i) => i + 2 == line ? row : r));

    private static string SetField(string header, IReadOnlyList<string> rows, int line, string column, string value)
    {
        var index = header.Split(';').ToList().IndexOf(column);
        return Lines(header, rows.Select((r, i) =>
        {
            if (i + 2 != line)
                return r;
            var fields = r.Split(';');
            fields[index] = value;
            return string.Join(';', fields);
        }));
    }

    private const int MixedEncodingsGoodRows = 24_000;

    /// <summary>The first line that is not UTF-8: header, then the good rows, then this one.</summary>
    private const int MixedEncodingsBadLine = MixedEncodingsGoodRows + 2;

    /// <summary>
    /// 24,000 distinct valid records in UTF-8 (about 1.4 MB, past the 1 MiB the encoding is judged on),
    /// then one whose 'é' is a Windows-1252 byte, then UTF-8 again.
    /// </summary>
    private static byte[] MixedEncodings()
    {
        string[] conditions = ["J45-J46", "J44", "I20-I25", "A69.2", "T67"];
        string[] ages = ["0-14", "15-44", "45-64", "65-74", "75+"];
        var rows = from code in Enumerable.Range(22001, 200)
                   from year in Enumerable.Range(2019, 5)
                   from sex in new[] { "M", "F" }
                   from age in ages
                   from condition in conditions
                   select $"{code};commune;{year};{condition};{sex};{age};1;100;Plérin-sur-Mer";
        var text = Lines(HealthHeader + ";libelle", rows.Take(MixedEncodingsGoodRows));
        return [.. Utf8.GetBytes(text), .. Windows1252.GetBytes("22201;commune;2019;J44;M;0-14;1;100;Plérin-sur-Mer\n"), .. Utf8.GetBytes("22201;commune;2019;J44;F;0-14;1;100;Plérin\n")];
    }

    private static byte[] HalfOf(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return bytes[..(bytes.Length / 2)];
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal))
            gzip.Write(Utf8.GetBytes(text));
        return buffer.ToArray();
    }

    // Geographic files derived from the base zones.

    private static string ZonesWith(int feature, string geometry) =>
        FeatureCollection(Enumerable.Range(1, 3).Select(i => Feature($"Y{i}", i == feature ? geometry : Square(-1.70 + 0.02 * i, 48.10))).ToArray());

    private static string WithCrs(string featureCollection, string name) =>
        featureCollection.Replace("{\"type\":\"FeatureCollection\",", $"{{\"type\":\"FeatureCollection\",\"crs\":{{\"type\":\"name\",\"properties\":{{\"name\":\"{name}\"}}}},", StringComparison.Ordinal);

    private static Encoding CodePages(int codePage)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(codePage);
    }
}
