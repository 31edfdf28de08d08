using Analytics.Jobs.Ingest;
using Analytics.Jobs.Database;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Analytics.Models.Specifications;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Features;

/// <summary>One territory × period of a feature matrix.</summary>
/// <param name="TerritoryId">The territory's row in <c>geo.territory</c>.</param>
/// <param name="TerritoryCode">Its official code.</param>
/// <param name="Period">The year (or month) of the counts.</param>
/// <param name="Observed">Recorded cases (unsuppressed: the matrix is never served).</param>
/// <param name="Population">Residents (person-years) of the period.</param>
/// <param name="Exposure">The offset: expected cases or population, as the specification says.</param>
/// <param name="Features">Covariates in the order of <see cref="FeatureMatrix.Data.FeatureNames"/>.</param>
/// <param name="Groups">Audit group per dimension (deprivation_quintile, density_class, territory_type).</param>
/// <param name="X">A point inside the territory, Lambert-93 metres (for spatial blocks).</param>
/// <param name="Y">Idem.</param>
public sealed record MatrixRow(long TerritoryId, string TerritoryCode, string Period, long Observed, double Population, double Exposure,
    double[] Features, IReadOnlyDictionary<string, string> Groups, double X, double Y);

/// <summary>
/// Builds the feature matrix of a model specification from what the earlier stages wrote: one row
/// per commune × period of the latest health batch with the condition's recorded cases, the exposure
/// offset, each catalogue covariate and the commune's audit groups.
/// </summary>
/// <remarks>
/// <para><b>Exposure.</b> Expected cases are the batch's own rates by period × sex × age band applied
/// to the commune's population (indirect standardisation), so the model learns SIRs.</para>
/// <para><b>Covariates.</b> An indicator comes from the interpolated exposures (area-weighted for
/// grids and polygons, inverse-distance for stations) or from the values loaded by territory code,
/// latest batch first. A value loaded for another period than the row's (deprivation measured once)
/// is carried to the row from the nearest period, the earlier on a tie; a commune with no value at
/// all for a covariate is left out, and counted with why.</para>
/// <para><b>Groups.</b> Deprivation quintile of the FDep-like index over the zoning's communes (1
/// least deprived … 5 most), the INSEE density class, and overseas vs mainland (département code
/// beginning with 97).</para>
/// <para><b>Version.</b> The dataset version is a SHA-256 over the specification and every source
/// batch's file hash: same inputs, same version, same matrix.</para>
/// </remarks>
public sealed class FeatureMatrix(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>A built matrix: its identity and rows, ordered by territory code then period.</summary>
    public sealed record Data(long Id, string DatasetVersion, IReadOnlyList<string> FeatureNames, IReadOnlyList<long> SourceBatches,
        IReadOnlyList<MatrixRow> Rows, IReadOnlyDictionary<string, int> Excluded);

    public async Task<Data> BuildAsync(ModelSpecification spec, CancellationToken cancellationToken = default)
    {
        if (spec.Level != Levels.Commune)
            throw new InvalidOperationException($"model '{spec.Code}': level '{spec.Level}' is not supported — health counts are modelled by commune");
        var health = await ScalarAsync<long?>("SELECT max(id) FROM ingest.batch WHERE kind = 'health' AND status = 'loaded'", [], cancellationToken)
            ?? throw new InvalidOperationException("no health batch is loaded");
        var counts = await ReadCountsAsync(health, spec.Condition, cancellationToken);
        if (counts.Count == 0)
            throw new InvalidOperationException($"model '{spec.Code}': health batch {health} has no counts for condition '{spec.Condition}'");
        var communes = await ReadCommunesAsync(counts.Keys.Select(k => k.Territory).Distinct().ToArray(), cancellationToken);
        var values = await ReadCovariatesAsync(spec.Features, communes.Keys.ToArray(), cancellationToken);
        foreach (var missing in spec.Features.Where(f => !values.Values.Any(v => v.ContainsKey(f))))
            throw new InvalidOperationException($"model '{spec.Code}': indicator '{missing}' has no value on any commune — load it or build the features first");

        var excluded = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<MatrixRow>();
        var sources = new SortedSet<long> { health };
        foreach (var ((territory, period), count) in counts.OrderBy(c => communes.GetValueOrDefault(c.Key.Territory)?.Code, StringComparer.Ordinal).ThenBy(c => c.Key.Period, StringComparer.Ordinal))
        {
            if (!communes.TryGetValue(territory, out var commune))
                continue;
            string? why = count.Population <= 0 ? "population 0" : count.Expected <= 0 ? "expected cases 0" : null;
            var x = new double[spec.Features.Count];
            for (var f = 0; why is null && f < spec.Features.Count; f++)
            {
                if (values.TryGetValue(territory, out var byIndicator) && byIndicator.TryGetValue(spec.Features[f], out var series) && Nearest(series, period) is { } v)
                {
                    x[f] = v.Value;
                    sources.Add(v.Batch);
                }
                else
                    why = $"no value of {spec.Features[f]}";
            }
            if (why is null && commune.Groups.Count < ModelSpecification.KnownGroupDimensions.Count)
                why = "audit group unknown (deprivation or density class not loaded)";
            if (why is not null)
            {
                excluded[why] = excluded.GetValueOrDefault(why) + 1;
                continue;
            }
            var exposure = spec.Exposure == ExposureKind.Expected ? count.Expected : count.Population;
            rows.Add(new MatrixRow(territory, commune.Code, period, count.Cases, count.Population, exposure, x, commune.Groups, commune.X, commune.Y));
        }
        if (rows.Count == 0)
            throw new InvalidOperationException($"model '{spec.Code}': every row was left out ({string.Join(", ", excluded.Select(e => $"{e.Key}: {e.Value}"))})");
        var version = await DatasetVersionAsync(spec, sources, cancellationToken);
        var id = await StoreAsync(spec, version, sources, rows, excluded, cancellationToken);
        return new Data(id, version, spec.Features, sources.ToList(), rows, excluded);
    }

    private static (double Value, long Batch)? Nearest(List<(string Period, double Value, long Batch)> series, string period)
    {
        if (series.Count == 0)
            return null;
        var target = PeriodNumber(period);
        var best = series.OrderBy(s => Math.Abs(PeriodNumber(s.Period) - target)).ThenBy(s => s.Period, StringComparer.Ordinal).First();
        return (best.Value, best.Batch);
    }

    /// <summary>Months since year 0, so years and months compare on one scale ("2021" is taken as mid-2021).</summary>
    private static double PeriodNumber(string period) =>
        period.Length == 4 ? int.Parse(period, CultureInfo.InvariantCulture) * 12 + 6
        : int.Parse(period[..4], CultureInfo.InvariantCulture) * 12 + int.Parse(period[5..], CultureInfo.InvariantCulture) - 1;

    private sealed record Count(long Cases, double Population, double Expected);

    private async Task<Dictionary<(long Territory, string Period), Count>> ReadCountsAsync(long health, string condition, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<(long, string), Count>();
        foreach (var e in await new ExpectedCases(dataSource, clock).ReadAsync(health, ExpectedScope.Period, condition, cancellationToken))
            counts[(e.TerritoryId, e.Period)] = new Count(e.Cases, e.Population, e.Expected);
        return counts;
    }

    private sealed record Commune(string Code, double X, double Y, Dictionary<string, string> Groups);

    private async Task<Dictionary<long, Commune>> ReadCommunesAsync(long[] ids, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Features/Sql/matrix_communes.sql"));
        command.Parameters.Add(new() { Value = ids });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var communes = new Dictionary<long, Commune>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var groups = new Dictionary<string, string>(StringComparer.Ordinal);
            if (reader.GetBoolean(5))
                groups["deprivation_quintile"] = reader.GetInt32(4).ToString(CultureInfo.InvariantCulture);
            if (!reader.IsDBNull(6))
                groups["density_class"] = reader.GetString(6);
            if (!reader.IsDBNull(7))
                groups["territory_type"] = reader.GetString(7);
            communes[reader.GetInt64(0)] = new Commune(reader.GetString(1), reader.GetDouble(2), reader.GetDouble(3), groups);
        }
        return communes;
    }

    /// <summary>Each commune's series of each indicator: interpolated exposures, then values loaded by code; the latest batch wins per period.</summary>
    private async Task<Dictionary<long, Dictionary<string, List<(string Period, double Value, long Batch)>>>> ReadCovariatesAsync(
        IReadOnlyList<string> indicators, long[] communes, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Features/Sql/matrix_covariates.sql"));
        command.Parameters.Add(new() { Value = indicators.ToArray() });
        command.Parameters.Add(new() { Value = communes });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new Dictionary<long, Dictionary<string, List<(string, double, long)>>>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!values.TryGetValue(reader.GetInt64(0), out var byIndicator))
                values[reader.GetInt64(0)] = byIndicator = new Dictionary<string, List<(string, double, long)>>(StringComparer.Ordinal);
            if (!byIndicator.TryGetValue(reader.GetString(1), out var series))
                byIndicator[reader.GetString(1)] = series = [];
            series.Add((reader.GetString(2), reader.GetDouble(3), reader.GetInt64(4)));
        }
        return values;
    }

    private async Task<string> DatasetVersionAsync(ModelSpecification spec, SortedSet<long> sources, CancellationToken cancellationToken)
    {
        var text = new StringBuilder(JsonSerializer.Serialize(spec));
        await using (var command = dataSource.CreateCommand("SELECT id, kind, file_sha256, part FROM ingest.batch WHERE id = ANY ($1) ORDER BY id"))
        {
            command.Parameters.Add(new() { Value = sources.ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                text.Append(CultureInfo.InvariantCulture, $"\n{reader.GetString(1)}:{reader.GetString(2)}:{reader.GetString(3)}");
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Stores the matrix once per (specification, dataset version); a rebuild of the same inputs returns the stored one.</summary>
    private async Task<long> StoreAsync(ModelSpecification spec, string version, SortedSet<long> sources, List<MatrixRow> rows, SortedDictionary<string, int> excluded, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var existing = new NpgsqlCommand("SELECT id FROM features.feature_matrix WHERE spec_code = $1 AND dataset_version = $2", connection, transaction))
        {
            existing.Parameters.Add(new() { Value = spec.Code });
            existing.Parameters.Add(new() { Value = version });
            if (await existing.ExecuteScalarAsync(cancellationToken) is long id)
                return id;
        }
        long matrix;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO features.feature_matrix (spec_code, dataset_version, feature_names, source_batches, rows, excluded, built_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
            """, connection, transaction))
        {
            insert.Parameters.Add(new() { Value = spec.Code });
            insert.Parameters.Add(new() { Value = version });
            insert.Parameters.Add(new() { Value = spec.Features.ToArray() });
            insert.Parameters.Add(new() { Value = sources.ToArray() });
            insert.Parameters.Add(new() { Value = rows.Count });
            insert.Parameters.Add(new() { Value = JsonSerializer.Serialize(excluded), NpgsqlDbType = NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new() { Value = clock.GetUtcNow() });
            matrix = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }
        await MatrixRows.WriteAsync(connection, rows.Select(r => (matrix, r)), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return matrix;
    }

    private static readonly CopyTable<(long Matrix, MatrixRow Row)> MatrixRows = new("features.feature_matrix_row",
        new("matrix_id", NpgsqlDbType.Bigint, r => r.Matrix), new("territory_id", NpgsqlDbType.Bigint, r => r.Row.TerritoryId),
        new("period", NpgsqlDbType.Text, r => r.Row.Period), new("observed", NpgsqlDbType.Bigint, r => r.Row.Observed),
        new("population", NpgsqlDbType.Double, r => r.Row.Population), new("exposure", NpgsqlDbType.Double, r => r.Row.Exposure),
        new("x", NpgsqlDbType.Array | NpgsqlDbType.Double, r => r.Row.Features), new("groups", NpgsqlDbType.Jsonb, r => JsonSerializer.Serialize(r.Row.Groups)),
        new("x_l93", NpgsqlDbType.Double, r => r.Row.X), new("y_l93", NpgsqlDbType.Double, r => r.Row.Y));

    private async Task<T?> ScalarAsync<T>(string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var p in parameters)
            command.Parameters.Add(new() { Value = p });
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull or null ? default : (T)value;
    }
}
