using Npgsql;

namespace Analytics.Jobs.Features;

/// <summary>One leaf count of a health batch: a territory × period × condition × sex × age band, with its population.</summary>
public sealed record HealthStratum(long TerritoryId, string Period, string Condition, string Sex, string AgeBand, long Cases, long Population)
{
    /// <summary>
    /// The batch's leaf strata (M/F × age bands): totals are computed by the stages, so a file's own
    /// totals are not counted twice; cells suppressed at source and strata without population are left out.
    /// </summary>
    public static async Task<List<HealthStratum>> ReadAsync(NpgsqlDataSource dataSource, long healthBatchId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT territory_id, period, condition_code, sex, age_band, cases, population
            FROM facts.health_count
            WHERE batch_id = $1 AND sex <> 'T' AND age_band <> 'all' AND NOT suppressed_at_source AND population IS NOT NULL
            """);
        command.Parameters.Add(new() { Value = healthBatchId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var strata = new List<HealthStratum>();
        // Periods, conditions, sexes and age bands are a few dozen words over millions of rows (8.8 million nationally):
        // one string each, not one per row.
        var words = new Dictionary<string, string>(StringComparer.Ordinal);
        string Shared(int column)
        {
            var word = reader.GetString(column);
            return words.TryGetValue(word, out var shared) ? shared : words[word] = word;
        }
        while (await reader.ReadAsync(cancellationToken))
            strata.Add(new HealthStratum(reader.GetInt64(0), Shared(1), Shared(2), Shared(3), Shared(4), reader.GetInt32(5), reader.GetInt32(6)));
        if (strata.Count == 0)
            throw new InvalidOperationException($"health batch {healthBatchId} has no counts by sex and age band with their population");
        return strata;
    }
}
