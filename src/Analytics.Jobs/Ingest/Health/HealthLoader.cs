using Analytics.Jobs.Ingest.Text;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Ingest.Health;

/// <summary>
/// Health aggregates (CSV): one record per territory × period × condition × sex × age band with
/// a count of cases — or a producer's suppression marker — and optionally the population.
/// Writes <c>facts.health_count</c>.
/// </summary>
/// <remarks>
/// Records are checked as they stream in: a direct identifier anywhere refuses the file whole;
/// any other bad record is quarantined with its reason. Valid rows go straight into the facts
/// table by binary COPY; if the file repeats a key, that COPY is undone and the file is read
/// again through a staging table that finds every repeated key and quarantines its records.
/// </remarks>
internal sealed class HealthLoader : ILoader
{
    private const string Target = "facts.health_count (batch_id, territory_id, period, condition_code, sex, age_band, cases, suppressed_at_source, population)";

    public async Task LoadAsync(LoadContext context, CancellationToken cancellationToken)
    {
        var conditions = await ConditionCodes.LoadAsync(context, cancellationToken);
        var territories = await TerritoryIndexes.LoadAsync(context, cancellationToken);
        await using (var savepoint = context.Command("SAVEPOINT health_copy"))
            await savepoint.ExecuteNonQueryAsync(cancellationToken);
        try
        {
            await CopyAsync(context, conditions, territories, $"COPY {Target} FROM STDIN (FORMAT BINARY)", withLine: false, cancellationToken);
            return;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await using var rollback = context.Command("ROLLBACK TO SAVEPOINT health_copy");
            await rollback.ExecuteNonQueryAsync(cancellationToken);
        }
        await LoadWithRepeatedKeysAsync(context, conditions, territories, cancellationToken);
    }

    private static async Task LoadWithRepeatedKeysAsync(LoadContext context, ConditionCodes conditions, TerritoryIndexes territories, CancellationToken cancellationToken)
    {
        await using (var create = context.Command("""
            CREATE TEMP TABLE health_staging (LIKE facts.health_count INCLUDING DEFAULTS, line bigint NOT NULL) ON COMMIT DROP
            """))
            await create.ExecuteNonQueryAsync(cancellationToken);
        await CopyAsync(context, conditions, territories,
            "COPY health_staging (batch_id, territory_id, period, condition_code, sex, age_band, cases, suppressed_at_source, population, line) FROM STDIN (FORMAT BINARY)",
            withLine: true, cancellationToken);
        await using (var repeated = context.Command("""
            SELECT line, first_line FROM (
                SELECT line, min(line) OVER key AS first_line, count(*) OVER key AS n
                FROM health_staging
                WINDOW key AS (PARTITION BY territory_id, period, condition_code, sex, age_band)) s
            WHERE n > 1 ORDER BY line
            """))
        await using (var reader = await repeated.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var line = reader.GetInt64(0);
                var first = reader.GetInt64(1);
                context.Reject(line, null, line == first
                    ? "duplicate key: the same territory, period, condition, sex and age band appear again later in the file; none of the copies is loaded"
                    : $"duplicate key: the same territory, period, condition, sex and age band as line {first:N0}; none of the copies is loaded");
            }
        }
        await using var insert = context.Command($"""
            INSERT INTO {Target}
            SELECT batch_id, territory_id, period, condition_code, sex, age_band, cases, suppressed_at_source, population
            FROM health_staging s
            WHERE NOT EXISTS (
                SELECT 1 FROM health_staging d
                WHERE (d.territory_id, d.period, d.condition_code, d.sex, d.age_band) = (s.territory_id, s.period, s.condition_code, s.sex, s.age_band)
                  AND d.line <> s.line)
            """);
        context.RowsLoaded = await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task CopyAsync(LoadContext context, ConditionCodes conditions, TerritoryIndexes territories, string copy, bool withLine, CancellationToken cancellationToken)
    {
        context.Restart();
        using var file = CsvFile.Open(context.Request.FilePath, context.Request.FileName);
        var columns = new Columns(context.Request.FileName, file.Header);
        var code = columns.Require("territory_code", "code", "code_geo", "codgeo", "code_insee", "insee_com", "code_commune", "depcom", "com", "territoire");
        var level = columns.Find("level", "niveau", "niveau_geo", "niv_geo", "type_territoire");
        var period = context.Options.Period is null ? columns.Require("period", "periode", "annee", "year", "an", "mois", "month") : columns.Find("period", "periode", "annee", "year");
        var condition = columns.Require("condition_code", "condition", "cim10", "code_cim10", "pathologie", "diagnostic", "cause", "indicator");
        var sex = columns.Require("sex", "sexe");
        var age = columns.Require("age_band", "classe_age", "tranche_age", "age", "cl_age", "classe_d_age");
        var cases = columns.Require("cases", "cas", "nb_cas", "nombre_cas", "effectif", "nb_sejours", "sejours", "count", "n");
        var population = columns.Find("population", "pop", "pop_totale", "effectif_population");
        if (level < 0 && context.Options.Level is null)
            throw new IngestException(context.Request.FileName, 1, "level",
                "the file has no 'level' column and no level was given: add the column or load with --level commune (or epci, departement…)");
        var lastYear = context.Clock.GetUtcNow().Year;

        await using var writer = await context.Connection.BeginBinaryImportAsync(copy, cancellationToken);
        while (file.TryRead(out var record))
        {
            context.RowsRead++;
            if ((context.RowsRead & 0x3FFF) == 0)
                context.Progress(context.RowsRead, file.BytesRead);
            var f = record.Fields;
            columns.ScreenForIdentifiers(record);
            if (f.Count != columns.Count)
            {
                context.Reject(record.Line, null, $"wrong column count: {f.Count} fields where the header has {columns.Count}", string.Join(file.Separator, f));
                continue;
            }
            var levelText = level >= 0 ? f[level] : context.Options.Level!;
            var levelName = Levels.Parse(levelText);
            if (levelName is null)
            {
                context.Reject(record.Line, Header(columns, level, "level"), $"unknown territory level '{Columns.Truncate(levelText)}' (expected commune, epci, departement, region, iris)");
                continue;
            }
            var index = territories.For(levelName);
            if (!index.TryResolve(f[code], out var territoryId))
            {
                context.Reject(record.Line, columns.Header[code], $"unknown territory code '{Columns.Truncate(f[code])}' for level {levelName} (vintage {index.Vintage})");
                continue;
            }
            var periodText = period >= 0 ? f[period] : context.Options.Period!;
            var periodValue = HealthVocabulary.ParsePeriod(periodText, 1980, lastYear, out var outOfRange);
            if (periodValue is null)
            {
                context.Reject(record.Line, Header(columns, period, "period"), outOfRange
                    ? $"period out of range: '{Columns.Truncate(periodText)}' is not between 1980 and {lastYear}"
                    : $"'{Columns.Truncate(periodText)}' is not a period (expected a year such as 2022 or a month such as 2022-06)");
                continue;
            }
            var conditionCode = conditions.Resolve(f[condition]);
            if (conditionCode is null)
            {
                context.Reject(record.Line, columns.Header[condition], $"unknown condition '{Columns.Truncate(f[condition])}': not a catalogue code nor a CIM-10 code the catalogue covers");
                continue;
            }
            var sexValue = HealthVocabulary.ParseSex(f[sex]);
            if (sexValue is null)
            {
                context.Reject(record.Line, columns.Header[sex], $"'{Columns.Truncate(f[sex])}' is not a sex (expected M, F or T for both)");
                continue;
            }
            var ageValue = HealthVocabulary.ParseAgeBand(f[age]);
            if (ageValue is null)
            {
                context.Reject(record.Line, columns.Header[age], $"'{Columns.Truncate(f[age])}' is not an age band (expected e.g. 0-14, 75+ or all)");
                continue;
            }
            int? caseCount = null;
            if (!HealthVocabulary.IsSuppressedMarker(f[cases]))
            {
                if (!Numbers.TryParseWhole(f[cases], out var parsed))
                {
                    context.Reject(record.Line, columns.Header[cases], $"'{Columns.Truncate(f[cases])}' is not a whole number of cases");
                    continue;
                }
                if (parsed < 0)
                {
                    context.Reject(record.Line, columns.Header[cases], "negative count of cases");
                    continue;
                }
                if (parsed > int.MaxValue)
                {
                    context.Reject(record.Line, columns.Header[cases], "count of cases too large to be an aggregate");
                    continue;
                }
                caseCount = (int)parsed;
            }
            int? populationCount = null;
            if (population >= 0 && f[population].Trim().Length > 0)
            {
                if (!Numbers.TryParseWhole(f[population], out var parsed) || parsed < 0 || parsed > int.MaxValue)
                {
                    context.Reject(record.Line, columns.Header[population], $"'{Columns.Truncate(f[population])}' is not a population (a whole number ≥ 0)");
                    continue;
                }
                if (caseCount > parsed)
                {
                    context.Reject(record.Line, columns.Header[cases], "more cases than population");
                    continue;
                }
                populationCount = (int)parsed;
            }

            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(context.BatchId, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(territoryId, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(periodValue, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(conditionCode, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(sexValue, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(ageValue, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(caseCount, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(caseCount is null, NpgsqlDbType.Boolean, cancellationToken);
            await writer.WriteAsync(populationCount, NpgsqlDbType.Integer, cancellationToken);
            if (withLine)
                await writer.WriteAsync(record.Line, NpgsqlDbType.Bigint, cancellationToken);
            context.RowsLoaded++;
        }
        await writer.CompleteAsync(cancellationToken);
        context.Progress(context.RowsRead, file.BytesRead);
    }

    private static string Header(Columns columns, int index, string fallback) => index >= 0 ? columns.Header[index] : fallback;
}
