using Analytics.Models.Secrecy;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Features;

/// <summary>
/// One published health figure of a territory: the value and its 95% interval when published,
/// nothing but its state when withheld or missing — the state always named.
/// </summary>
public sealed record HealthFigure(string Condition, string Period, string Statistic, double? Value, double? Low, double? High, PublicationState State, string Method);

/// <summary>The health figures of one territory from one health batch.</summary>
public sealed record TerritoryHealth(long HealthBatchId, IReadOnlyList<HealthFigure> Figures);

/// <summary>
/// What the features stage publishes, as the API serves it: <c>features.health_indicator</c> after
/// statistical secrecy (every level of the hierarchy protected together, so no level can be
/// subtracted from another). Nothing here reads the facts: a withheld count has no value to leak.
/// </summary>
public sealed class PublishedFigures(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// The territory's figures from the latest health batch built, by condition, period and statistic;
    /// <paramref name="condition"/> narrows to one. Null when the territory has no figures (unknown, or nothing built).
    /// </summary>
    public async Task<TerritoryHealth?> HealthAsync(string level, string code, string? condition, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT h.health_batch_id, h.condition_code, h.period, h.statistic, h.value, h.ci_low, h.ci_high, h.state, h.method
            FROM features.health_indicator h JOIN geo.territory t ON t.id = h.territory_id
            WHERE h.health_batch_id = (SELECT max(health_batch_id) FROM features.health_indicator) AND t.level = $1 AND t.code = $2
              AND ($3::text IS NULL OR h.condition_code = $3)
            ORDER BY h.condition_code, h.period, h.statistic
            """);
        command.Parameters.Add(new() { Value = level });
        command.Parameters.Add(new() { Value = code });
        command.Parameters.Add(new() { Value = (object?)condition ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long? batch = null;
        var figures = new List<HealthFigure>();
        while (await reader.ReadAsync(cancellationToken))
        {
            batch = reader.GetInt64(0);
            figures.Add(new HealthFigure(reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetDouble(4), reader.IsDBNull(5) ? null : reader.GetDouble(5), reader.IsDBNull(6) ? null : reader.GetDouble(6),
                PublicationStates.Parse(reader.GetString(7)), reader.GetString(8)));
        }
        return batch is { } id ? new TerritoryHealth(id, figures) : null;
    }
}
