using Analytics.Jobs.Database;
using Analytics.Models.Epidemiology;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Features;

/// <summary>Which rates a territory's expected cases are computed from.</summary>
public enum ExpectedScope
{
    /// <summary>The batch's rates by sex and age band in the same period: the yearly figures, feature matrices and custom zones.</summary>
    Period,

    /// <summary>The batch's rates by sex and age band over all its periods, applied to the territory's population summed over them: the spatial scan.</summary>
    AllPeriods,
}

/// <summary>One territory's recorded cases, population and expected cases for a condition and period of a health batch.</summary>
public sealed record ExpectedCount(long TerritoryId, string Condition, ExpectedScope Scope, string Period, long Cases, double Population, double Expected);

/// <summary>
/// Expected cases by indirect standardisation, computed once per health batch and kept in
/// <c>features.expected_cases</c>: the batch's leaf strata (<see cref="HealthStratum"/>) give the
/// reference rates by sex and age band (<see cref="IndirectStandardisation.ReferenceRates"/>),
/// applied to each territory's population (<see cref="IndirectStandardisation.ExpectedCases"/>).
/// The published figures, the spatial scan, the feature matrices and the custom zones all read it,
/// so the four agree by construction. A coarser territory's expected count is the sum of its
/// communes' (expected cases are linear in the population).
/// </summary>
public sealed class ExpectedCases(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private static readonly CopyTable<(ExpectedCount Row, long Batch, DateTimeOffset At)> Table = new("features.expected_cases",
        new("health_batch_id", NpgsqlDbType.Bigint, r => r.Batch),
        new("territory_id", NpgsqlDbType.Bigint, r => r.Row.TerritoryId),
        new("condition_code", NpgsqlDbType.Text, r => r.Row.Condition),
        new("scope", NpgsqlDbType.Text, r => ScopeId(r.Row.Scope)),
        new("period", NpgsqlDbType.Text, r => r.Row.Period),
        new("cases", NpgsqlDbType.Bigint, r => r.Row.Cases),
        new("population", NpgsqlDbType.Double, r => r.Row.Population),
        new("expected", NpgsqlDbType.Double, r => r.Row.Expected),
        new("computed_at", NpgsqlDbType.TimestampTz, r => r.At));

    /// <summary>Computes and stores the batch's expected cases, replacing an earlier build's; returns the rows written.</summary>
    public async Task<int> BuildAsync(long healthBatchId, CancellationToken cancellationToken = default)
    {
        var rows = await ComputeAsync(HealthStratum.ReadTablesAsync(dataSource, healthBatchId, cancellationToken));
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var clear = new NpgsqlCommand("DELETE FROM features.expected_cases WHERE health_batch_id = $1", connection, transaction))
        {
            clear.Parameters.Add(new() { Value = healthBatchId });
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }
        await Table.WriteAsync(connection, rows.Select(r => (r, healthBatchId, now)), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rows.Count;
    }

    /// <summary>The batch's expected counts in <paramref name="scope"/>, for one condition or all, in territory order.</summary>
    public async Task<List<ExpectedCount>> ReadAsync(long healthBatchId, ExpectedScope scope, string? condition = null, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT territory_id, condition_code, period, cases, population, expected FROM features.expected_cases
            WHERE health_batch_id = $1 AND scope = $2 AND ($3::text IS NULL OR condition_code = $3) ORDER BY condition_code, period, territory_id
            """);
        command.Parameters.Add(new() { Value = healthBatchId });
        command.Parameters.Add(new() { Value = ScopeId(scope) });
        command.Parameters.Add(new() { Value = (object?)condition ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<ExpectedCount>();
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new ExpectedCount(reader.GetInt64(0), reader.GetString(1), scope, reader.GetString(2), reader.GetInt64(3), reader.GetDouble(4), reader.GetDouble(5)));
        if (rows.Count == 0 && !await BuiltAsync(healthBatchId, cancellationToken))
            throw new InvalidOperationException($"health batch {healthBatchId} has no expected cases: run the features build first");
        return rows;
    }

    /// <summary>The periods the batch's expected counts cover, in order.</summary>
    public async Task<List<string>> PeriodsAsync(long healthBatchId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT period FROM features.expected_cases WHERE health_batch_id = $1 AND scope = 'period' GROUP BY period ORDER BY period COLLATE \"C\"");
        command.Parameters.Add(new() { Value = healthBatchId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var periods = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
            periods.Add(reader.GetString(0));
        return periods;
    }

    private async Task<bool> BuiltAsync(long healthBatchId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT FROM features.expected_cases WHERE health_batch_id = $1)");
        command.Parameters.Add(new() { Value = healthBatchId });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Every territory's expected cases per condition, in each period and over all periods, from the batch's tables in condition order.</summary>
    public static async Task<List<ExpectedCount>> ComputeAsync(IAsyncEnumerable<HealthTable> tables)
    {
        var standardisation = new Standardisation();
        await foreach (var table in tables)
            standardisation.Add(table);
        return standardisation.Complete();
    }

    /// <summary>
    /// Expected cases table by table (tables of a condition one after another, as <see cref="HealthStratum.ReadTablesAsync"/>
    /// gives them): a period's rows from its table alone; the condition's rows over all periods from its strata summed
    /// over the periods, which is all that is kept of the tables already seen. Counts and populations are whole numbers,
    /// so the sums do not depend on the order the strata come in.
    /// </summary>
    private sealed class Standardisation
    {
        private readonly List<ExpectedCount> _rows = [];
        private readonly SortedSet<string> _periods = new(StringComparer.Ordinal);
        private readonly Dictionary<(long Territory, string Sex, string AgeBand), (long Cases, long Population)> _pooled = [];
        private readonly HashSet<string> _done = new(StringComparer.Ordinal);
        private string? _condition;

        public void Add(HealthTable table)
        {
            if (table.Condition != _condition)
            {
                Close();
                if (!_done.Add(table.Condition))
                    throw new ArgumentException($"the tables of condition {table.Condition} do not come one after another");
                _condition = table.Condition;
            }
            _periods.Add(table.Period);
            _rows.AddRange(Standardise(table.Strata, table.Condition, ExpectedScope.Period, table.Period));
            foreach (var s in table.Strata)
            {
                var (cases, population) = _pooled.GetValueOrDefault((s.TerritoryId, s.Sex, s.AgeBand));
                _pooled[(s.TerritoryId, s.Sex, s.AgeBand)] = (cases + s.Cases, population + s.Population);
            }
        }

        public List<ExpectedCount> Complete()
        {
            Close();
            return _rows;
        }

        private void Close()
        {
            if (_condition is null)
                return;
            var label = $"{_periods.Min}/{_periods.Max}";
            var pooled = _pooled.Select(p => new HealthStratum(p.Key.Territory, label, _condition, p.Key.Sex, p.Key.AgeBand, p.Value.Cases, p.Value.Population)).ToList();
            _rows.AddRange(Standardise(pooled, _condition, ExpectedScope.AllPeriods, label));
            _periods.Clear();
            _pooled.Clear();
            _condition = null;
        }
    }

    private static IEnumerable<ExpectedCount> Standardise(IReadOnlyList<HealthStratum> strata, string condition, ExpectedScope scope, string period)
    {
        var keys = strata.Select(s => (s.Sex, s.AgeBand)).Distinct().Order().ToList();
        var at = keys.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i);
        var cases = new SortedDictionary<long, long[]>();
        var population = new Dictionary<long, double[]>();
        foreach (var s in strata)
        {
            if (!cases.TryGetValue(s.TerritoryId, out var c))
            {
                cases[s.TerritoryId] = c = new long[keys.Count];
                population[s.TerritoryId] = new double[keys.Count];
            }
            c[at[(s.Sex, s.AgeBand)]] += s.Cases;
            population[s.TerritoryId][at[(s.Sex, s.AgeBand)]] += s.Population;
        }
        var rates = IndirectStandardisation.ReferenceRates(
            Enumerable.Range(0, keys.Count).Select(k => cases.Values.Sum(c => c[k])).ToArray(),
            Enumerable.Range(0, keys.Count).Select(k => cases.Keys.Sum(t => population[t][k])).ToArray());
        foreach (var (territory, c) in cases)
            yield return new ExpectedCount(territory, condition, scope, period, c.Sum(), population[territory].Sum(), IndirectStandardisation.ExpectedCases(population[territory], rates));
    }

    private static string ScopeId(ExpectedScope scope) => scope == ExpectedScope.Period ? "period" : "all_periods";
}
