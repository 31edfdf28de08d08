using Analytics.Jobs.Ingest.Text;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Ingest.Health;

/// <summary>
/// Health aggregates (CSV): one record per territory × period × condition × sex × age band with
/// a count of cases — or a producer's suppression marker — and optionally the population.
/// Writes the batch's own partition of <c>facts.health_count</c>.
/// </summary>
/// <remarks>
/// Records are checked as they stream in: a direct identifier anywhere refuses the file whole;
/// any other bad record is quarantined with its reason. Valid rows go by binary COPY into a new,
/// unindexed partition, attached when the load commits. A key seen twice is noticed on the way
/// (<see cref="KeySet"/>); once the COPY is done, every copy of a repeated key is taken out and
/// quarantined — which of two different counts is right cannot be guessed.
/// </remarks>
internal sealed class HealthLoader : ILoader
{
    private sealed record RepeatedKey(long TerritoryId, string Period, string Condition, string Sex, string AgeBand, long Line);

    public async Task LoadAsync(LoadContext context, CancellationToken cancellationToken)
    {
        var conditions = await ConditionCodes.LoadAsync(context, cancellationToken);
        var territories = await TerritoryIndexes.LoadAsync(context, cancellationToken);
        // Creating and attaching the partition is DDL: functions owned by the schema's owner do it (migration 0032).
        string partition;
        await using (var create = context.Command("SELECT facts.create_health_partition($1)"))
        {
            create.Parameters.Add(new() { Value = context.BatchId });
            partition = (string)(await create.ExecuteScalarAsync(cancellationToken))!;
        }
        var repeated = await CopyAsync(context, conditions, territories, partition, cancellationToken);
        if (repeated.Count > 0)
            await RemoveRepeatedKeysAsync(context, partition, repeated, cancellationToken);
        await using var attach = context.Command("SELECT facts.attach_health_partition($1)");
        attach.Parameters.Add(new() { Value = context.BatchId });
        await attach.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task RemoveRepeatedKeysAsync(LoadContext context, string partition, List<RepeatedKey> repeated, CancellationToken cancellationToken)
    {
        // The first copy of each repeated key went into the partition: take it out, and learn its line.
        await using var delete = context.Command($"""
            DELETE FROM {partition} h USING unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[]) AS k(territory_id, period, condition_code, sex, age_band)
            WHERE (h.territory_id, h.period, h.condition_code, h.sex, h.age_band) = (k.territory_id, k.period, k.condition_code, k.sex, k.age_band)
            RETURNING h.source_line, h.territory_id, h.period, h.condition_code, h.sex, h.age_band
            """);
        delete.Parameters.Add(new() { Value = repeated.Select(k => k.TerritoryId).ToArray() });
        delete.Parameters.Add(new() { Value = repeated.Select(k => k.Period).ToArray() });
        delete.Parameters.Add(new() { Value = repeated.Select(k => k.Condition).ToArray() });
        delete.Parameters.Add(new() { Value = repeated.Select(k => k.Sex).ToArray() });
        delete.Parameters.Add(new() { Value = repeated.Select(k => k.AgeBand).ToArray() });
        var firstLine = new Dictionary<(long, string, string, string, string), long>();
        await using (var reader = await delete.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                firstLine[(reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5))] = reader.GetInt64(0);
                context.RowsLoaded--;
            }
        }
        var rejections = firstLine.Values.Select(line => (Line: line, Reason:
                "duplicate key: the same territory, period, condition, sex and age band appear again later in the file; none of the copies is loaded"))
            .Concat(repeated.Select(k => (k.Line, Reason:
                $"duplicate key: the same territory, period, condition, sex and age band as line {firstLine[(k.TerritoryId, k.Period, k.Condition, k.Sex, k.AgeBand)]:N0}; none of the copies is loaded")));
        foreach (var (line, reason) in rejections.OrderBy(r => r.Line))
            context.Reject(line, null, reason);
    }

    private static async Task<List<RepeatedKey>> CopyAsync(LoadContext context, ConditionCodes conditions, TerritoryIndexes territories, string partition, CancellationToken cancellationToken)
    {
        var keys = new KeySet();
        var repeated = new List<RepeatedKey>();
        using var file = CsvFile.Open(context.Request.FilePath, context.Request.FileName, context.Limits.MaxDecompressedBytes);
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
        var periods = new Memo<(string? Value, bool OutOfRange)>(text => (HealthVocabulary.ParsePeriod(text, 1980, lastYear, out var outOfRange), outOfRange));
        var conditionOf = new Memo<string?>(conditions.Resolve);
        var sexes = new Memo<string?>(HealthVocabulary.ParseSex);
        var ages = new Memo<string?>(HealthVocabulary.ParseAgeBand);

        await using var writer = await context.Connection.BeginBinaryImportAsync(
            $"COPY {partition} (batch_id, territory_id, period, condition_code, sex, age_band, cases, suppressed_at_source, population, source_line) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        while (file.TryRead(out var record))
        {
            if (!context.Admit(file, columns, record))
                continue;
            var f = record.Fields;
            if (!territories.TryResolve(context, record, columns, level, context.Options.Level, code, out var territoryId))
                continue;
            var periodText = period >= 0 ? f[period] : context.Options.Period!;
            var (periodValue, outOfRange) = periods[periodText];
            if (periodValue is null)
            {
                context.Reject(record.Line, Header(columns, period, "period"), outOfRange
                    ? $"period out of range: '{Columns.Truncate(periodText)}' is not between 1980 and {lastYear}"
                    : $"'{Columns.Truncate(periodText)}' is not a period (expected a year such as 2022 or a month such as 2022-06)");
                continue;
            }
            var conditionCode = conditionOf[f[condition]];
            if (conditionCode is null)
            {
                context.Reject(record.Line, columns.Header[condition], $"unknown condition '{Columns.Truncate(f[condition])}': not a catalogue code nor a CIM-10 code the catalogue covers");
                continue;
            }
            var sexValue = sexes[f[sex]];
            if (sexValue is null)
            {
                context.Reject(record.Line, columns.Header[sex], $"'{Columns.Truncate(f[sex])}' is not a sex (expected M, F or T for both)");
                continue;
            }
            var ageValue = ages[f[age]];
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

            if (!keys.Add(territoryId, periodValue, conditionCode, sexValue, ageValue))
            {
                repeated.Add(new RepeatedKey(territoryId, periodValue, conditionCode, sexValue, ageValue, record.Line));
                continue;
            }

            // Synchronous writes: Npgsql buffers them, and an await per value would cost more than the value.
            writer.StartRow();
            writer.Write(context.BatchId, NpgsqlDbType.Bigint);
            writer.Write(territoryId, NpgsqlDbType.Bigint);
            writer.Write(periodValue, NpgsqlDbType.Text);
            writer.Write(conditionCode, NpgsqlDbType.Text);
            writer.Write(sexValue, NpgsqlDbType.Text);
            writer.Write(ageValue, NpgsqlDbType.Text);
            if (caseCount is null)
                writer.WriteNull();
            else
                writer.Write(caseCount.Value, NpgsqlDbType.Integer);
            writer.Write(caseCount is null, NpgsqlDbType.Boolean);
            if (populationCount is null)
                writer.WriteNull();
            else
                writer.Write(populationCount.Value, NpgsqlDbType.Integer);
            writer.Write(record.Line, NpgsqlDbType.Bigint);
            context.RowsLoaded++;
        }
        await writer.CompleteAsync(cancellationToken);
        context.Progress(context.RowsRead, file.BytesRead);
        return repeated;
    }

    private static string Header(Columns columns, int index, string fallback) => index >= 0 ? columns.Header[index] : fallback;
}
