using Analytics.Jobs.Database;
using System.Text.Json;
using System.Text.Json.Serialization;
using Analytics.Models.Indices;
using Analytics.Models.Secrecy;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Features;

/// <summary>
/// The communes' cumulative index (<see cref="CumulativeIndex"/>) from what the build published:
/// each indicator's latest value per commune (interpolated exposures, values loaded by code), and
/// for health the latest year's smoothed relative risk — a suppressed one counts as missing, so the
/// index never rests on a figure the secrecy rules withheld. With the ranks under
/// <see cref="Aggregation.Standard"/> and each commune's rank interval. Writes <c>features.cumulative_index</c>.
/// </summary>
public sealed class CumulativeIndexBuild(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private sealed record Definition(IReadOnlyList<Entry> Indicators);

    private sealed record Entry(string Code, IndexComponent Component, bool HigherIsWorse);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>Reads the index definition (<c>data/catalog/cumulative_index.json</c>).</summary>
    public static IReadOnlyList<Indicator> ReadDefinition(string json, string source)
    {
        try
        {
            var definition = JsonSerializer.Deserialize<Definition>(json, Json) ?? throw new FormatException($"{source}: empty");
            return definition.Indicators.Select(i => new Indicator(i.Code, i.Component, i.HigherIsWorse)).ToList();
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: {e.Path}: {e.Message}", e);
        }
    }

    /// <summary>Computes and stores the index of the communes of <paramref name="healthBatchId"/>; returns how many got a score.</summary>
    public async Task<int> BuildAsync(long healthBatchId, IReadOnlyList<Indicator> indicators, CancellationToken cancellationToken = default)
    {
        var codes = indicators.Select(i => i.Code).ToArray();
        var values = new Dictionary<(long Territory, string Code), Published<double>>();
        var communes = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using (var command = dataSource.CreateCommand(StageSql.Load("Features/Sql/index_inputs.sql")))
        {
            command.Parameters.Add(new() { Value = healthBatchId });
            command.Parameters.Add(new() { Value = codes });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                communes[reader.GetString(1)] = reader.GetInt64(0);
                values[(reader.GetInt64(0), reader.GetString(2))] = reader.GetString(4) switch
                {
                    "value" => Published.Of(reader.GetDouble(3)),
                    "unreliable" => Published<double>.Unreliable(reader.GetDouble(3)),
                    "suppressed" => Published<double>.Suppressed,
                    _ => Published<double>.Missing,
                };
            }
        }
        var territories = communes.Select(c => new TerritoryIndicators(c.Key,
            codes.Select(code => values.GetValueOrDefault((c.Value, code), Published<double>.Missing)).ToList())).ToList();
        var scores = CumulativeIndex.Compute(indicators, territories);
        var robustness = RankRobustness.Compute(indicators, territories, Aggregation.Standard);
        var now = clock.GetUtcNow();
        var rows = scores.Select((s, i) =>
        {
            var ranks = robustness.Territories[i];
            return new IndexRow(healthBatchId, communes[s.Territory], s.Score, s.ScorePercentile, s.PollutionBurden, s.PopulationCharacteristics,
                JsonSerializer.Serialize(s.Components, Json), JsonSerializer.Serialize(codes.Zip(s.Percentiles).ToDictionary(p => p.First, p => p.Second)),
                JsonSerializer.Serialize(Aggregation.Standard.Zip(ranks.Ranks).ToDictionary(p => p.First.Name, p => p.Second)),
                s.Score is null ? null : ranks.Best, s.Score is null ? null : ranks.Worst, s.Gaps.ToArray(), now);
        }).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var clear = new NpgsqlCommand("DELETE FROM features.cumulative_index WHERE health_batch_id = $1", connection, transaction))
        {
            clear.Parameters.Add(new() { Value = healthBatchId });
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }
        await IndexTable.WriteAsync(connection, rows, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return scores.Count(s => s.Score is not null);
    }

    private sealed record IndexRow(long HealthBatchId, long TerritoryId, double? Score, double? ScorePercentile, double? PollutionBurden,
        double? PopulationCharacteristics, string Components, string Percentiles, string Ranks, int? BestRank, int? WorstRank, string[] Gaps, DateTimeOffset ComputedAt);

    private static readonly CopyTable<IndexRow> IndexTable = new("features.cumulative_index",
        new("health_batch_id", NpgsqlDbType.Bigint, r => r.HealthBatchId), new("territory_id", NpgsqlDbType.Bigint, r => r.TerritoryId),
        new("score", NpgsqlDbType.Double, r => r.Score), new("score_percentile", NpgsqlDbType.Double, r => r.ScorePercentile),
        new("pollution_burden", NpgsqlDbType.Double, r => r.PollutionBurden), new("population_characteristics", NpgsqlDbType.Double, r => r.PopulationCharacteristics),
        new("components", NpgsqlDbType.Jsonb, r => r.Components), new("percentiles", NpgsqlDbType.Jsonb, r => r.Percentiles), new("ranks", NpgsqlDbType.Jsonb, r => r.Ranks),
        new("best_rank", NpgsqlDbType.Integer, r => r.BestRank), new("worst_rank", NpgsqlDbType.Integer, r => r.WorstRank),
        new("gaps", NpgsqlDbType.Array | NpgsqlDbType.Text, r => r.Gaps), new("computed_at", NpgsqlDbType.TimestampTz, r => r.ComputedAt));
}
