using Analytics.Jobs.Ingest.Geometry;
using Analytics.Jobs.Ingest.Text;
using NetTopologySuite.IO;
using NpgsqlTypes;

namespace Analytics.Jobs.Ingest.Territories;

/// <summary>
/// Territory boundaries of one level and one zoning vintage (GeoJSON, GeoPackage, zipped
/// Shapefile) into <c>geo.territory</c>: reprojected to EPSG:4326 and EPSG:2154 by PostGIS, invalid
/// geometries repaired once (ST_MakeValid) and reported, each territory linked to its parent.
/// A new vintage adds territories; it never replaces those of another vintage.
/// </summary>
internal sealed class TerritoryLoader : ILoader
{
    public async Task LoadAsync(LoadContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var fileName = context.Request.FileName;
        var level = Levels.Parse(options.Level ?? "") ?? throw new IngestException(fileName, null, "level",
            "give the level of these territories (--level commune, epci, departement, region, iris or custom)");
        var vintage = options.Vintage ?? throw new IngestException(fileName, null, "vintage",
            "give the zoning vintage, the COG year of these boundaries (--vintage 2024): a new vintage never erases an older one");
        var file = FeatureFile.Read(context.Request.FilePath, fileName, options.LayerName ?? level);
        var srid = options.Srid ?? file.Srid ?? throw new IngestException(fileName, null, "crs",
            "the file does not say its coordinate system (a Shapefile without .prj?): add it, or load again with --srid and its EPSG code");
        await CheckSridAsync(context, srid, cancellationToken);
        if (file.Features.Count == 0)
            throw new IngestException(fileName, null, null, "the file has no features");

        var fields = file.Features[0].Attributes.Keys.ToList();
        var codeField = Pick(fields, options.CodeField, "code", "insee_com", "code_insee", "insee_dep", "insee_reg", "code_epci", "siren_epci", "siren", "code_iris", "insee", "codgeo")
            ?? throw new IngestException(fileName, null, "code", $"no territory code property found (properties: {string.Join(", ", fields)}); name it with --code-field");
        var nameField = Pick(fields, options.NameField, "name", "nom", "libelle", "lib", "nom_com", "nom_dep", "nom_reg", "nom_epci", "nom_iris");
        var parentField = Pick(fields, options.ParentField, "parent_code", "parent", "code_parent");
        if (options.ParentField is not null && parentField is null)
            throw new IngestException(fileName, null, options.ParentField, "no such property in the file");
        var parentLevels = ParentLevels(level, options.ParentLevel, parentField is null, fileName);
        if (parentField is null)
            context.Note(level == Levels.Commune
                ? "no parent code property: each commune is attached to the département its code starts with"
                : "no parent code property: these territories are loaded without a parent (name one with --parent-field)");

        var counts = file.Features.GroupBy(f => f.Attributes.GetValueOrDefault(codeField)?.Trim() ?? "").ToDictionary(g => g.Key, g => g.Count());
        await using (var create = context.Command("""
            CREATE TEMP TABLE territory_staging (
                feature int, code text, name text, parent_code text, wkb bytea,
                g geometry, g4326 geometry, gl93 geometry, repaired boolean NOT NULL DEFAULT false, parent_id bigint, problem text, problem_field text NOT NULL DEFAULT 'geometry'
            ) ON COMMIT DROP
            """))
            await create.ExecuteNonQueryAsync(cancellationToken);

        var wkb = new WKBWriter(ByteOrder.LittleEndian, handleSRID: false, emitZ: false);
        await using (var writer = await context.Connection.BeginBinaryImportAsync(
            "COPY territory_staging (feature, code, name, parent_code, wkb) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var feature in file.Features)
            {
                context.RowsRead++;
                foreach (var (property, text) in feature.Attributes)
                    if (text is not null && Analytics.Models.Privacy.DirectIdentifiers.DescribeValue(text) is { } identifier)
                        throw new IngestException(fileName, feature.Index, property, $"a value here is {identifier}, a direct identifier: the whole file is refused");
                var code = feature.Attributes.GetValueOrDefault(codeField)?.Trim() ?? "";
                if (code.Length == 0)
                {
                    context.Reject(feature.Index, codeField, "feature without a territory code");
                    continue;
                }
                if (!System.Text.RegularExpressions.Regex.IsMatch(code, "^[0-9A-Za-z_-]{1,20}$"))
                {
                    context.Reject(feature.Index, codeField, $"'{Columns.Truncate(code)}' is not a territory code (letters, digits, '-' or '_', at most 20)");
                    continue;
                }
                if (counts[code] > 1)
                {
                    context.Reject(feature.Index, codeField, $"duplicate key: code '{code}' appears {counts[code]} times in the file; none of them is loaded");
                    continue;
                }
                if (feature.Geometry is null)
                {
                    context.Reject(feature.Index, "geometry", "feature without a geometry");
                    continue;
                }
                var name = nameField is null ? code : feature.Attributes.GetValueOrDefault(nameField)?.Trim();
                var parent = parentField is not null ? feature.Attributes.GetValueOrDefault(parentField)?.Trim()
                    : level == Levels.Commune ? DepartementOf(code) : null;
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(feature.Index, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(code, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(string.IsNullOrEmpty(name) ? code : name, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(string.IsNullOrEmpty(parent) ? null : parent, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(wkb.Write(feature.Geometry), NpgsqlDbType.Bytea, cancellationToken);
            }
            await writer.CompleteAsync(cancellationToken);
        }

        var geographic = await IsGeographicAsync(context, srid, cancellationToken);
        string[] steps =
        [
            $"UPDATE territory_staging SET g = ST_SetSRID(ST_GeomFromWKB(wkb), {srid})",
            "UPDATE territory_staging SET problem = 'empty geometry' WHERE ST_IsEmpty(g)",
            "UPDATE territory_staging SET problem = 'not a polygon but a ' || lower(GeometryType(g)) WHERE problem IS NULL AND GeometryType(g) NOT IN ('POLYGON', 'MULTIPOLYGON')",
            geographic
                ? $"UPDATE territory_staging SET problem = 'coordinates outside longitude/latitude ranges: the file is probably not in EPSG:{srid} (give its CRS with --srid)' WHERE problem IS NULL AND (ST_XMin(g) < -180 OR ST_XMax(g) > 180 OR ST_YMin(g) < -90 OR ST_YMax(g) > 90)"
                : $"UPDATE territory_staging SET problem = 'coordinates look like degrees, not the metres of EPSG:{srid}: is the CRS wrong?' WHERE problem IS NULL AND ST_XMin(g) >= -180 AND ST_XMax(g) <= 180 AND ST_YMin(g) >= -90 AND ST_YMax(g) <= 90",
            "UPDATE territory_staging SET repaired = true, g = ST_CollectionExtract(ST_MakeValid(g), 3) WHERE problem IS NULL AND NOT ST_IsValid(g)",
            "UPDATE territory_staging SET problem = 'invalid geometry that cannot be repaired into a polygon' WHERE problem IS NULL AND ST_IsEmpty(g)",
            "UPDATE territory_staging SET g4326 = ST_Multi(ST_Transform(g, 4326)), gl93 = ST_Multi(ST_Transform(g, 2154)) WHERE problem IS NULL",
            "UPDATE territory_staging SET problem = 'the geometry does not survive reprojection: coordinates outside the area of its CRS' WHERE problem IS NULL AND (g4326 IS NULL OR NOT ST_IsValid(g4326) AND ST_IsEmpty(ST_MakeValid(g4326)))",
        ];
        foreach (var step in steps)
        {
            await using var command = context.Command(step);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var parents = context.Command("""
            UPDATE territory_staging s SET parent_id = (
                SELECT p.id FROM geo.territory p
                WHERE p.code = s.parent_code AND p.level = ANY($1)
                ORDER BY array_position($1, p.level), (p.vintage = $2) DESC, p.vintage DESC LIMIT 1)
            WHERE problem IS NULL AND parent_code IS NOT NULL
            """))
        {
            parents.Parameters.Add(new() { Value = parentLevels });
            parents.Parameters.Add(new() { Value = vintage });
            await parents.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var orphans = context.Command($"""
            UPDATE territory_staging SET problem_field = 'parent', problem = 'unknown parent code ''' || parent_code || ''' among the {string.Join("/", parentLevels)} loaded: load the level above first'
            WHERE problem IS NULL AND parent_code IS NOT NULL AND parent_id IS NULL
            """))
            await orphans.ExecuteNonQueryAsync(cancellationToken);
        await using (var existing = context.Command("""
            UPDATE territory_staging s SET problem_field = 'code', problem = 'already loaded for this level and vintage (batch ' || t.batch_id || '): a new edition of the boundaries needs a new --vintage'
            FROM geo.territory t WHERE s.problem IS NULL AND t.level = $1 AND t.code = s.code AND t.vintage = $2
            """))
        {
            existing.Parameters.Add(new() { Value = level });
            existing.Parameters.Add(new() { Value = vintage });
            await existing.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var problems = context.Command("SELECT feature, problem_field, problem FROM territory_staging WHERE problem IS NOT NULL ORDER BY feature"))
        await using (var reader = await problems.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                context.Reject(reader.GetInt32(0), reader.GetString(1), reader.GetString(2));

        await using (var repaired = context.Command("SELECT coalesce(array_agg(code ORDER BY feature), '{}') FROM territory_staging WHERE problem IS NULL AND repaired"))
        {
            var codes = (string[])(await repaired.ExecuteScalarAsync(cancellationToken))!;
            context.GeometriesRepaired = codes.Length;
            if (codes.Length > 0)
                context.Note($"{codes.Length} invalid geometries repaired with ST_MakeValid: {string.Join(", ", codes.Take(20))}{(codes.Length > 20 ? ", …" : "")}");
        }
        await using var insert = context.Command("""
            INSERT INTO geo.territory (level, code, name, vintage, parent_id, batch_id, geom, geom_l93, area_km2)
            SELECT $1, code, name, $2, parent_id, $3, g4326, gl93, ST_Area(g4326::geography) / 1e6
            FROM territory_staging WHERE problem IS NULL ORDER BY feature
            """);
        insert.Parameters.Add(new() { Value = level });
        insert.Parameters.Add(new() { Value = vintage });
        insert.Parameters.Add(new() { Value = context.BatchId });
        context.RowsLoaded = await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The levels a parent may be found at, closest first.</summary>
    private static string[] ParentLevels(string level, string? parentLevel, bool derivedFromCode, string fileName)
    {
        if (parentLevel is not null)
            return [Levels.Parse(parentLevel) ?? throw new IngestException(fileName, null, "parentLevel",
                $"unknown parent level '{Columns.Truncate(parentLevel)}' (commune, epci, departement, region, iris or custom)")];
        if (derivedFromCode)
            return [Levels.Departement];
        var position = Levels.Hierarchy.ToList().IndexOf(level);
        return position < 0 ? [.. Levels.Hierarchy] : [.. Levels.Hierarchy.Skip(position + 1)];
    }

    /// <summary>The département a commune code belongs to: 3 characters overseas (97x), 2 elsewhere (2A and 2B included).</summary>
    internal static string? DepartementOf(string communeCode) =>
        communeCode.Length != 5 ? null : communeCode.StartsWith("97", StringComparison.Ordinal) ? communeCode[..3] : communeCode[..2];

    private static string? Pick(IReadOnlyList<string> fields, string? explicitName, params string[] aliases)
    {
        if (explicitName is not null)
            return fields.FirstOrDefault(f => string.Equals(f, explicitName, StringComparison.OrdinalIgnoreCase));
        foreach (var alias in aliases)
        {
            var match = fields.FirstOrDefault(f => Columns.Normalise(f) == alias);
            if (match is not null)
                return match;
        }
        return null;
    }

    private static async Task CheckSridAsync(LoadContext context, int srid, CancellationToken cancellationToken)
    {
        await using var command = context.Command("SELECT count(*) FROM spatial_ref_sys WHERE srid = $1");
        command.Parameters.Add(new() { Value = srid });
        if ((long)(await command.ExecuteScalarAsync(cancellationToken))! == 0)
            throw new IngestException(context.Request.FileName, null, "crs", $"EPSG:{srid} is not a coordinate system PostGIS knows");
    }

    internal static async Task<bool> IsGeographicAsync(LoadContext context, int srid, CancellationToken cancellationToken)
    {
        await using var command = context.Command("SELECT srtext LIKE 'GEOGCS%' FROM spatial_ref_sys WHERE srid = $1");
        command.Parameters.Add(new() { Value = srid });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
