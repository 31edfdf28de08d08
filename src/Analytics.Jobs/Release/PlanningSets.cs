using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Analytics.Jobs.Database;
using Analytics.Jobs.Training;
using Analytics.Models.Modelling;
using Analytics.Models.Planning;
using Npgsql;

namespace Analytics.Jobs.Release;

/// <summary>
/// One commune as prevention planning reads it from the release in force, and no recorded count: expected cases at the
/// reference rate (the model's offset), predicted cases μ with their 90% interval, the priority rank, each factor's
/// contribution, the values of the model's covariates (the run's feature matrix), its audit groups (deprivation_quintile,
/// density_class, territory_type), its accessibility to GPs (APL) and its deprivation index (FDep) when loaded.
/// </summary>
public sealed record PlanningCommune(string Code, string Name, string? Departement, string? Epci, double Population, double Expected, double Predicted,
    long IntervalLow, long IntervalHigh, int? PriorityRank, IReadOnlyDictionary<string, double> Contributions, IReadOnlyDictionary<string, double> Covariates,
    IReadOnlyDictionary<string, string> Groups, double? GpAccessibility, double? Deprivation)
{
    /// <summary>Its deprivation quintile, 1 … 5; null when unknown.</summary>
    public int? Quintile => Groups.TryGetValue("deprivation_quintile", out var q) && int.TryParse(q, NumberStyles.Integer, CultureInfo.InvariantCulture, out var k)
        && k is >= 1 and <= 5 ? k : null;

    /// <summary>The commune as the planning methods weigh it: its covariates, FDep and APL as factors a planner may weigh.</summary>
    public PlanningTerritory Territory()
    {
        var factors = new Dictionary<string, double>(Covariates);
        if (Deprivation is { } fdep)
            factors["fdep"] = fdep;
        if (GpAccessibility is { } apl)
            factors["apl_gp"] = apl;
        return new PlanningTerritory(Code, Name, Population, Expected, Predicted, IntervalLow, IntervalHigh, Quintile, Groups.GetValueOrDefault("density_class"),
            Groups.GetValueOrDefault("territory_type") == "overseas", GpAccessibility, factors);
    }
}

/// <summary>A covariate's coefficient in the release's model (log rate ratio per unit) and its standard error.</summary>
public sealed record PlanningCoefficient(string Name, double Estimate, double StandardError);

/// <summary>
/// Everything planning needs of one release in force: its latest period, its communes, its champion and the coefficients
/// the run stands behind (<c>ml.champion_coefficients</c>: the BYM2 model's when it is the champion, not confounded with
/// place, else the Poisson model's, the trees having none), the Poisson model's dispersion (for intervals), the known
/// limits of its card (shown beside every list), and the names of the communes' départements and EPCIs by code (what a
/// planner filters by).
/// </summary>
public sealed record PlanningSet(Provenance Release, string Period, IReadOnlyList<PlanningCoefficient> Coefficients, RiskModelKind Champion,
    double Dispersion, JsonElement Limits, IReadOnlyList<PlanningCommune> Communes, IReadOnlyDictionary<string, string> PlaceNames);

/// <summary>
/// Reads a release's <see cref="PlanningSet"/> once and keeps it: a release never changes once made, and at national
/// scale (35,000 communes) the read takes seconds that a simulator answering in well under one must not pay each time.
/// Only a <see cref="Provenance"/> from the gate opens one, so a revoked release is never asked for; callers ask the
/// gate again on every request.
/// </summary>
public sealed class PlanningSets(NpgsqlDataSource dataSource)
{
    private const int Kept = 16;
    private readonly ConcurrentDictionary<long, Lazy<Task<PlanningSet?>>> sets = new();

    /// <summary>The release's planning set; null when it is no longer in force.</summary>
    public async Task<PlanningSet?> ReadAsync(Provenance release, CancellationToken cancellationToken = default)
    {
        if (sets.Count > Kept)
            sets.Clear();
        var entry = sets.GetOrAdd(release.ReleaseId, _ => new Lazy<Task<PlanningSet?>>(() => LoadAsync(release)));
        try
        {
            var set = await entry.Value.WaitAsync(cancellationToken);
            if (set is null)
                sets.TryRemove(release.ReleaseId, out _);
            return set;
        }
        catch when (!cancellationToken.IsCancellationRequested)
        {
            sets.TryRemove(release.ReleaseId, out _);
            throw;
        }
    }

    // Shared by every caller waiting for it: no one request's cancellation stops it.
    private async Task<PlanningSet?> LoadAsync(Provenance release)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        string period;
        string[] features;
        List<PlanningCoefficient> coefficients;
        double dispersion;
        JsonElement limits;
        RiskModelKind champion;
        await using (var model = new NpgsqlCommand(StageSql.Load("Release/Sql/planning_model.sql"), connection))
        {
            model.Parameters.Add(new() { Value = release.ReleaseId });
            await using var reader = await model.ExecuteReaderAsync();
            if (!await reader.ReadAsync())
                return null;
            period = reader.GetString(0);
            features = reader.GetFieldValue<string[]>(1);
            coefficients = JsonSerializer.Deserialize<List<JsonElement>>(reader.GetString(2))!
                .Where(c => c.GetProperty("name").GetString() != "(intercept)")
                .Select(c => new PlanningCoefficient(c.GetProperty("name").GetString()!, c.GetProperty("estimate").GetDouble(), c.GetProperty("standardError").GetDouble()))
                .ToList();
            dispersion = reader.IsDBNull(3) ? 1 : Math.Max(1, PoissonRiskModel.Load(reader.GetFieldValue<byte[]>(3)).Dispersion);
            limits = JsonSerializer.Deserialize<JsonElement>(reader.GetString(4));
            champion = Enum.GetValues<RiskModelKind>().Single(k => ModelTraining.Name(k) == reader.GetString(5));
        }
        var communes = new List<PlanningCommune>();
        var placeNames = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var rows = new NpgsqlCommand(StageSql.Load("Release/Sql/planning_territories.sql"), connection))
        {
            rows.Parameters.Add(new() { Value = release.ReleaseId });
            await using var reader = await rows.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var x = reader.GetFieldValue<double[]>(11);
                communes.Add(new PlanningCommune(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetDouble(4), reader.GetDouble(5), reader.GetDouble(6),
                    (long)reader.GetDouble(7), (long)reader.GetDouble(8), reader.IsDBNull(9) ? null : reader.GetInt32(9),
                    JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(10))!,
                    features.Select((f, j) => (f, j)).ToDictionary(p => p.f, p => x[p.j]),
                    JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(12))!,
                    reader.IsDBNull(13) ? null : reader.GetDouble(13), reader.IsDBNull(14) ? null : reader.GetDouble(14)));
                foreach (var (code, name) in new[] { (2, 15), (3, 16) })
                    if (!reader.IsDBNull(code))
                        placeNames[reader.GetString(code)] = reader.GetString(name);
            }
        }
        return new PlanningSet(release, period, coefficients, champion, dispersion, limits, communes, placeNames);
    }
}
