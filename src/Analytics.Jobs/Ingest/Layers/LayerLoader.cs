using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Analytics.Jobs.Ingest.Geometry;
using Analytics.Jobs.Ingest.Health;
using Analytics.Jobs.Ingest.Text;
using NetTopologySuite.IO;
using NpgsqlTypes;

namespace Analytics.Jobs.Ingest.Layers;

/// <summary>
/// Source geometries and their values: a grid given by cell centres (CSV), measuring stations
/// (CSV of points with yearly values), polygon or point layers (GeoJSON, GeoPackage, zipped
/// Shapefile). Geometries go to <c>geo.source_layer</c> / <c>geo.source_feature</c> — reused when
/// the same geometries were loaded before, so interpolation weights computed for them stay valid —
/// and values to <c>facts.feature_value</c>.
/// </summary>
internal sealed partial class LayerLoader : ILoader
{
    /// <summary>How far outside the loaded territories a source geometry may lie (a grid covers the sea off the coast).</summary>
    private const double ExtentMarginMetres = 25_000;

    private sealed record Feature(string Code, byte[]? Wkb, double X, double Y, string Attributes);
    private sealed record Value(string Code, string Indicator, string Period, double Number);

    public async Task LoadAsync(LoadContext context, CancellationToken cancellationToken)
    {
        var kind = context.Options.Layer switch
        {
            "grid" or "stations" or "polygons" or "points" => context.Options.Layer,
            _ => throw new IngestException(context.Request.FileName, null, "layer", $"unknown layer kind '{context.Options.Layer}' (grid, stations, polygons or points)"),
        };
        var indicators = await CatalogIndicators.LoadAsync(context, cancellationToken);
        var features = new Dictionary<string, Feature>(StringComparer.Ordinal);
        IEnumerable<Value> values;
        int srid;
        double? cellSize = null;
        if (kind is "grid" or "stations")
        {
            srid = context.Options.Srid ?? 2154;
            if (kind == "grid")
                cellSize = context.Options.CellSize ?? 1000;
            if (cellSize is { } size && !(double.IsFinite(size) && size > 0 && size <= 100_000))
                throw new IngestException(context.Request.FileName, null, "cellSize",
                    FormattableString.Invariant($"the grid cell size must be a number of metres between 0 and 100,000 (got {size})"));
            values = ReadPointTable(context, indicators, kind, features);
        }
        else
        {
            var file = FeatureFile.Read(context.Request.FilePath, context.Request.FileName, context.Options.LayerName);
            srid = context.Options.Srid ?? file.Srid ?? throw new IngestException(context.Request.FileName, null, "crs",
                "the file does not say its coordinate system: load again with --srid and its EPSG code");
            var featureValues = new List<Value>();
            ReadFeatures(context, indicators, file, kind, features, featureValues);
            values = featureValues;
        }
        if (features.Count == 0)
            throw new IngestException(context.Request.FileName, null, null, "no usable feature in the file");

        var layerId = await FindOrCreateLayerAsync(context, kind, srid, cellSize, features, cancellationToken);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var command = context.Command("SELECT code, feature_id FROM geo.source_feature WHERE layer_id = $1"))
        {
            command.Parameters.Add(new() { Value = layerId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                ids[reader.GetString(0)] = reader.GetInt32(1);
        }
        await using var writer = await context.Connection.BeginBinaryImportAsync(
            "COPY facts.feature_value (batch_id, layer_id, feature_id, indicator_code, period, value) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var value in values)
        {
            if (!ids.TryGetValue(value.Code, out var featureId))
                continue; // its feature was refused (outside the extent, invalid): already quarantined
            writer.StartRow(); // synchronous writes: buffered by Npgsql, cheaper than an await per value
            writer.Write(context.BatchId, NpgsqlDbType.Bigint);
            writer.Write(layerId, NpgsqlDbType.Bigint);
            writer.Write(featureId, NpgsqlDbType.Integer);
            writer.Write(value.Indicator, NpgsqlDbType.Text);
            writer.Write(value.Period, NpgsqlDbType.Text);
            writer.Write(value.Number, NpgsqlDbType.Double);
        }
        await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>Which columns of a grid or station table hold what.</summary>
    private sealed record PointTable(int X, int Y, int Code, int Period, IReadOnlyList<(int Column, string Indicator)> ValueColumns, HashSet<int> NotValues, int LastYear);

    /// <summary>One record of a grid or station table, parsed.</summary>
    private sealed record PointRecord(string Code, double X, double Y, string Period, List<Value> Values);

    /// <summary>
    /// Grid cell centres or station points, one record per place and period, values in mapped
    /// columns. Read twice: once to check every record and collect the places (a national grid has
    /// 550,000 cells but millions of values), once more to stream the values of the records kept
    /// — so memory follows the number of places, not the number of values.
    /// </summary>
    private static IEnumerable<Value> ReadPointTable(LoadContext context, CatalogIndicators indicators, string kind, Dictionary<string, Feature> features)
    {
        var fileName = context.Request.FileName;
        var rejected = new HashSet<long>();
        PointTable table;
        using (var file = CsvFile.Open(context.Request.FilePath, fileName, context.Limits.MaxDecompressedBytes))
        {
            var columns = new Columns(fileName, file.Header);
            table = Plan(context, indicators, kind, columns);
            // Periods seen per place, as bits: memory follows the places, not the records.
            var periodBits = new Dictionary<string, int>(StringComparer.Ordinal);
            var seen = new Dictionary<string, ulong>(StringComparer.Ordinal);
            while (file.TryRead(out var record))
            {
                context.RowsRead++;
                if ((context.RowsRead & 0x3FFF) == 0)
                    context.Progress(context.RowsRead, file.BytesRead / 2);
                columns.ScreenForIdentifiers(record);
                var (parsed, problemColumn, problem) = Parse(record, table, columns, context.Options.Period);
                if (parsed is not null && problem is null)
                {
                    if (!periodBits.TryGetValue(parsed.Period, out var bit))
                    {
                        if (periodBits.Count == 64)
                            throw new IngestException(fileName, record.Line, columns.Header[table.Period >= 0 ? table.Period : table.X],
                                "more than 64 periods in one file: split it (by decade, say) and load the parts");
                        periodBits[parsed.Period] = bit = periodBits.Count;
                    }
                    var mask = seen.GetValueOrDefault(parsed.Code);
                    if ((mask & (1UL << bit)) != 0)
                        (problemColumn, problem) = (table.Code >= 0 ? table.Code : table.X, $"duplicate key: {(kind == "grid" ? "cell" : "station")} {parsed.Code} already has values for {parsed.Period}");
                    else
                        seen[parsed.Code] = mask | (1UL << bit);
                }
                if (parsed is not null && problem is null)
                {
                    if (!features.TryGetValue(parsed.Code, out var existing))
                        features[parsed.Code] = new Feature(parsed.Code, null, parsed.X, parsed.Y, table.Code >= 0
                            ? JsonSerializer.Serialize(Enumerable.Range(0, columns.Count).Where(i => !table.NotValues.Contains(i) && table.ValueColumns.All(v => v.Column != i))
                                .ToDictionary(i => columns.Header[i], i => record.Fields[i]))
                            : "{}");
                    else if (existing.X != parsed.X || existing.Y != parsed.Y)
                        (problemColumn, problem) = (table.X, $"station {parsed.Code} moves: its coordinates differ from an earlier record");
                }
                if (problem is not null)
                {
                    rejected.Add(record.Line);
                    context.Reject(record.Line, problemColumn >= 0 ? columns.Header[problemColumn] : null, problem);
                    continue;
                }
                context.RowsLoaded++;
            }
        }
        return StreamValues(context, table, rejected);
    }

    private static IEnumerable<Value> StreamValues(LoadContext context, PointTable table, HashSet<long> rejected)
    {
        using var file = CsvFile.Open(context.Request.FilePath, context.Request.FileName, context.Limits.MaxDecompressedBytes);
        var columns = new Columns(context.Request.FileName, file.Header);
        var records = 0L;
        while (file.TryRead(out var record))
        {
            if ((++records & 0x3FFF) == 0)
                context.Progress(context.RowsRead, file.BytesTotal / 2 + file.BytesRead / 2);
            if (rejected.Contains(record.Line))
                continue;
            foreach (var value in Parse(record, table, columns, context.Options.Period).Parsed!.Values)
                yield return value;
        }
    }

    private static PointTable Plan(LoadContext context, CatalogIndicators indicators, string kind, Columns columns)
    {
        var fileName = context.Request.FileName;
        var x = columns.Require("x", "x_l93", "x_centre", "x_center", "easting", "longitude", "lon");
        var y = columns.Require("y", "y_l93", "y_centre", "y_center", "northing", "latitude", "lat");
        var code = kind == "stations" ? columns.Require("station_code", "code", "code_station", "station") : -1;
        var period = columns.Find("period", "year", "annee", "an");
        if (period < 0 && context.Options.Period is null)
            throw new IngestException(fileName, 1, "year", "the file has no year column: give the period of its values with --period");
        var notValues = new HashSet<int> { x, y, code, period, columns.Find("longitude", "lon"), columns.Find("latitude", "lat"), columns.Find("x_l93"), columns.Find("y_l93") };
        var valueColumns = indicators.ValueColumns(context, columns, notValues, "columns kept as attributes, not values (no catalogue indicator)");
        return new PointTable(x, y, code, period, valueColumns, notValues, context.Clock.GetUtcNow().Year);
    }

    /// <summary>Parses one record; on a problem, says which column (-1 for the record) and why.</summary>
    private static (PointRecord? Parsed, int Column, string? Problem) Parse(CsvRecord record, PointTable table, Columns columns, string? fixedPeriod)
    {
        var f = record.Fields;
        if (f.Count != columns.Count)
            return (null, -1, $"wrong column count: {f.Count} fields where the header has {columns.Count}");
        if (!Numbers.TryParseDecimal(f[table.X], out var x))
            return (null, table.X, "text in a numeric field: a coordinate must be a number");
        if (!Numbers.TryParseDecimal(f[table.Y], out var y))
            return (null, table.Y, "text in a numeric field: a coordinate must be a number");
        var periodText = table.Period >= 0 ? f[table.Period] : fixedPeriod!;
        var period = HealthVocabulary.ParsePeriod(periodText, 1900, table.LastYear, out var outOfRange);
        if (period is null)
            return (null, table.Period, outOfRange ? "period out of range" : $"'{Columns.Truncate(periodText)}' is not a period");
        var code = table.Code >= 0 ? f[table.Code].Trim() : FormattableString.Invariant($"{x:0.###}_{y:0.###}");
        if (code.Length == 0)
            return (null, table.Code, "a station needs a code");
        var values = new List<Value>(table.ValueColumns.Count);
        foreach (var (column, indicator) in table.ValueColumns)
        {
            if (f[column].Trim().Length == 0)
                continue;
            if (!Numbers.TryParseDecimal(f[column], out var number))
                return (null, column, $"text in a numeric field: '{Columns.Truncate(f[column])}' is not a number");
            values.Add(new Value(code, indicator, period, number));
        }
        return (new PointRecord(code, x, y, period, values), -1, null);
    }

    /// <summary>Polygon or point features; numeric properties named after an indicator, optionally suffixed by a year ("qsa_kg_2021"), are values.</summary>
    private static void ReadFeatures(LoadContext context, CatalogIndicators indicators, FeatureFile file, string kind, Dictionary<string, Feature> features, List<Value> values)
    {
        var fileName = context.Request.FileName;
        var fields = file.Features.Count > 0 ? file.Features[0].Attributes.Keys.ToList() : [];
        var codeField = context.Options.CodeField is not null
            ? fields.FirstOrDefault(f => string.Equals(f, context.Options.CodeField, StringComparison.OrdinalIgnoreCase))
            : fields.FirstOrDefault(f => Columns.Normalise(f) is "code" or "id" or "zone_code" or "code_zone" or "postcode" or "code_postal" or "outbreak_id" or "identifiant");
        if (codeField is null)
            throw new IngestException(fileName, null, context.Options.CodeField ?? "code", $"no feature code property found (properties: {string.Join(", ", fields)}); name it with --code-field");
        var lastYear = context.Clock.GetUtcNow().Year;
        var wkb = new WKBWriter(ByteOrder.LittleEndian, handleSRID: false, emitZ: false);
        var counts = file.Features.GroupBy(f => f.Attributes.GetValueOrDefault(codeField)?.Trim() ?? "").ToDictionary(g => g.Key, g => g.Count());
        foreach (var feature in file.Features)
        {
            context.RowsRead++;
            // Every value before anything else, the code included: it is stored, and echoed in messages.
            foreach (var (name, text) in feature.Attributes)
                if (DirectIdentifiersIn(text) is { } identifier)
                    throw new IngestException(fileName, feature.Index, name, $"a value here is {identifier}, a direct identifier: the whole file is refused");
            var code = feature.Attributes.GetValueOrDefault(codeField)?.Trim() ?? "";
            if (code.Length == 0)
            {
                context.Reject(feature.Index, codeField, "feature without a code");
                continue;
            }
            if (counts[code] > 1)
            {
                context.Reject(feature.Index, codeField, $"duplicate key: code '{Columns.Truncate(code)}' appears {counts[code]} times; none of them is loaded");
                continue;
            }
            if (feature.Geometry is null || feature.Geometry.IsEmpty)
            {
                context.Reject(feature.Index, "geometry", "empty geometry");
                continue;
            }
            var expected = kind == "points" ? "Point" : "Polygon";
            if (!feature.Geometry.GeometryType.Contains(expected, StringComparison.Ordinal))
            {
                context.Reject(feature.Index, "geometry", $"not a {expected.ToLowerInvariant()} but a {feature.Geometry.GeometryType} in a {kind} layer");
                continue;
            }
            var attributes = new Dictionary<string, string?>();
            foreach (var (name, text) in feature.Attributes)
            {
                if (name == codeField)
                    continue;
                var yearSuffix = YearSuffix().Match(name);
                var baseName = yearSuffix.Success ? yearSuffix.Groups[1].Value : name;
                var indicator = indicators.ForColumn(baseName, context.Options.Columns, fileName);
                var period = yearSuffix.Success ? yearSuffix.Groups[2].Value : context.Options.Period;
                if (indicator is not null && period is not null && text is not null && Numbers.TryParseDecimal(text, out var number)
                    && HealthVocabulary.ParsePeriod(period, 1900, lastYear, out _) is { } periodValue)
                    values.Add(new Value(code, indicator, periodValue, number));
                else
                    attributes[name] = text;
            }
            features[code] = new Feature(code, wkb.Write(feature.Geometry), 0, 0, JsonSerializer.Serialize(attributes));
            context.RowsLoaded++;
        }
    }

    private static string? DirectIdentifiersIn(string? text) => text is null ? null : Analytics.Models.Privacy.DirectIdentifiers.DescribeValue(text);

    private static async Task<long> FindOrCreateLayerAsync(LoadContext context, string kind, int srid, double? cellSize, Dictionary<string, Feature> features, CancellationToken cancellationToken)
    {
        var hash = GeometryHash(srid, cellSize, features.Values);
        await using (var find = context.Command("SELECT id FROM geo.source_layer WHERE kind = $1 AND geometry_hash = $2"))
        {
            find.Parameters.Add(new() { Value = kind });
            find.Parameters.Add(new() { Value = hash });
            if (await find.ExecuteScalarAsync(cancellationToken) is long existing)
            {
                context.Note($"same geometries as layer {existing}: its features (and any interpolation weights computed for them) are reused");
                return existing;
            }
        }
        await using (var create = context.Command("""
            CREATE TEMP TABLE layer_staging (feature_id int, code text, wkb bytea, x float8, y float8, attributes jsonb,
                                             g geometry, problem text) ON COMMIT DROP
            """))
            await create.ExecuteNonQueryAsync(cancellationToken);
        await using (var writer = await context.Connection.BeginBinaryImportAsync(
            "COPY layer_staging (feature_id, code, wkb, x, y, attributes) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            var id = 0;
            foreach (var feature in features.Values.OrderBy(f => f.Code, StringComparer.Ordinal))
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(++id, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(feature.Code, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(feature.Wkb, NpgsqlDbType.Bytea, cancellationToken);
                await writer.WriteAsync(feature.X, NpgsqlDbType.Double, cancellationToken);
                await writer.WriteAsync(feature.Y, NpgsqlDbType.Double, cancellationToken);
                await writer.WriteAsync(feature.Attributes, NpgsqlDbType.Jsonb, cancellationToken);
            }
            await writer.CompleteAsync(cancellationToken);
        }
        var half = (cellSize ?? 0) / 2;
        var geometry = kind switch
        {
            "grid" => $"ST_MakeEnvelope(x - {half.ToString(CultureInfo.InvariantCulture)}, y - {half.ToString(CultureInfo.InvariantCulture)}, x + {half.ToString(CultureInfo.InvariantCulture)}, y + {half.ToString(CultureInfo.InvariantCulture)}, {srid})",
            "stations" => $"ST_SetSRID(ST_MakePoint(x, y), {srid})",
            _ => $"ST_SetSRID(ST_GeomFromWKB(wkb), {srid})",
        };
        var geographic = await Territories.TerritoryLoader.IsGeographicAsync(context, srid, cancellationToken);
        string[] steps =
        [
            $"UPDATE layer_staging SET g = {geometry}",
            geographic
                ? $"UPDATE layer_staging SET problem = 'coordinates outside longitude/latitude ranges: the file is probably not in EPSG:{srid}' WHERE ST_XMin(g) < -180 OR ST_XMax(g) > 180 OR ST_YMin(g) < -90 OR ST_YMax(g) > 90"
                : $"UPDATE layer_staging SET problem = 'coordinates look like degrees, not the metres of EPSG:{srid}: is the CRS wrong?' WHERE ST_XMin(g) >= -180 AND ST_XMax(g) <= 180 AND ST_YMin(g) >= -90 AND ST_YMax(g) <= 90",
            "UPDATE layer_staging SET g = ST_MakeValid(g) WHERE problem IS NULL AND NOT ST_IsValid(g)",
            "UPDATE layer_staging SET g = ST_Transform(g, 2154) WHERE problem IS NULL",
            $"""
            UPDATE layer_staging SET problem = 'geometry outside the extent of the loaded territories (more than {ExtentMarginMetres / 1000:0} km away): wrong coordinates or CRS?'
            WHERE problem IS NULL AND NOT g && (SELECT ST_Expand(ST_Extent(geom_l93)::geometry, {ExtentMarginMetres.ToString(CultureInfo.InvariantCulture)}) FROM geo.territory)
            """,
        ];
        await using (var territories = context.Command("SELECT count(*) FROM geo.territory"))
            if ((long)(await territories.ExecuteScalarAsync(cancellationToken))! == 0)
                throw new IngestException(context.Request.FileName, null, null, "no territories are loaded yet: load the boundaries first, a layer is checked against their extent");
        foreach (var step in steps)
        {
            await using var command = context.Command(step);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var problems = context.Command("SELECT code, problem FROM layer_staging WHERE problem IS NOT NULL ORDER BY feature_id"))
        await using (var reader = await problems.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                context.Reject(null, "geometry", $"{reader.GetString(1)} (feature {reader.GetString(0)})");

        long layerId;
        await using (var layer = context.Command("INSERT INTO geo.source_layer (kind, name, geometry_hash, cell_size_m, batch_id) VALUES ($1, $2, $3, $4, $5) RETURNING id"))
        {
            layer.Parameters.Add(new() { Value = kind });
            layer.Parameters.Add(new() { Value = context.Options.LayerName ?? Path.GetFileNameWithoutExtension(context.Request.FileName) });
            layer.Parameters.Add(new() { Value = hash });
            layer.Parameters.Add(new() { Value = (object?)cellSize ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
            layer.Parameters.Add(new() { Value = context.BatchId });
            layerId = (long)(await layer.ExecuteScalarAsync(cancellationToken))!;
        }
        await using (var insert = context.Command("""
            INSERT INTO geo.source_feature (layer_id, feature_id, code, attributes, geom_l93, geom)
            SELECT $1, feature_id, code, attributes, g, ST_Transform(g, 4326) FROM layer_staging WHERE problem IS NULL
            """))
        {
            insert.Parameters.Add(new() { Value = layerId });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        return layerId;
    }

    /// <summary>Identifies a set of geometries whatever the order of the file's records.</summary>
    private static string GeometryHash(int srid, double? cellSize, IEnumerable<Feature> features)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(FormattableString.Invariant($"{srid}|{cellSize}|")));
        foreach (var feature in features.OrderBy(f => f.Code, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(FormattableString.Invariant($"{feature.Code}|{feature.X}|{feature.Y}|")));
            if (feature.Wkb is not null)
                hash.AppendData(feature.Wkb);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    [GeneratedRegex(@"^(.+)_(\d{4})$")]
    private static partial Regex YearSuffix();
}
