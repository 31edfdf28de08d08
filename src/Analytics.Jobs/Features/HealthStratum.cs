using System.Runtime.CompilerServices;
using Npgsql;

namespace Analytics.Jobs.Features;

/// <summary>One leaf count of a health batch: a territory × period × condition × sex × age band, with its population.</summary>
public sealed record HealthStratum(long TerritoryId, string Period, string Condition, string Sex, string AgeBand, long Cases, long Population)
{
    /// <summary>
    /// The batch's leaf strata (M/F × age bands), one period × condition table at a time, conditions then periods in
    /// ordinal order, each table in the file's order: a stage holds one table (350,000 strata nationally), not the
    /// batch's 8.8 million. The order within a table is the order of the territories' figures, which the smoothing's
    /// floating-point sums follow, so a rebuild gives the same figures to the last bit. Totals are
    /// computed by the stages, so a file's own totals are not counted twice; cells suppressed at source and strata
    /// without population are left out.
    /// </summary>
    public static async IAsyncEnumerable<HealthTable> ReadTablesAsync(NpgsqlDataSource dataSource, long healthBatchId,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT territory_id, period, condition_code, sex, age_band, cases, population
            FROM facts.health_count
            WHERE batch_id = $1 AND sex <> 'T' AND age_band <> 'all' AND NOT suppressed_at_source AND population IS NOT NULL
            ORDER BY condition_code COLLATE "C", period COLLATE "C", source_line
            """);
        // Sorting the national batch's 8.8 million strata takes PostgreSQL longer than the driver's default 30 s on a busy
        // machine: no driver timeout, the server's (Database:StatementTimeoutSeconds) bounds it.
        command.CommandTimeout = 0;
        command.Parameters.Add(new() { Value = healthBatchId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        // Periods, conditions, sexes and age bands are a few dozen words over millions of rows: one string each, not one per row.
        var words = new Dictionary<string, string>(StringComparer.Ordinal);
        string Shared(int column)
        {
            var word = reader.GetString(column);
            return words.TryGetValue(word, out var shared) ? shared : words[word] = word;
        }
        var table = new List<HealthStratum>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var stratum = new HealthStratum(reader.GetInt64(0), Shared(1), Shared(2), Shared(3), Shared(4), reader.GetInt32(5), reader.GetInt32(6));
            if (table.Count > 0 && (!ReferenceEquals(stratum.Period, table[0].Period) || !ReferenceEquals(stratum.Condition, table[0].Condition)))
            {
                yield return new HealthTable(table[0].Period, table[0].Condition, table);
                table = [];
            }
            table.Add(stratum);
        }
        if (table.Count == 0)
            throw new InvalidOperationException($"health batch {healthBatchId} has no counts by sex and age band with their population");
        yield return new HealthTable(table[0].Period, table[0].Condition, table);
    }
}

/// <summary>The leaf strata of one period × condition of a health batch.</summary>
public sealed record HealthTable(string Period, string Condition, IReadOnlyList<HealthStratum> Strata);
