using Analytics.Jobs.Ingest;
using Analytics.Jobs.Database;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using Analytics.Jobs.FairnessReports;
using Analytics.Jobs.Features;
using Analytics.Jobs.Telemetry;
using Analytics.Models.AuditTrail;
using Analytics.Models.Epidemiology;
using Analytics.Models.Fairness;
using Analytics.Models.Modelling;
using Analytics.Models.Secrecy;
using Analytics.Models.Spatial;
using Analytics.Models.Specifications;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Training;

/// <summary>
/// The Training and Audit stages for one model specification: feature matrix → spatially blocked
/// cross-validation of the Poisson model and its two challengers, boosted trees and the BYM2 spatial
/// model → champion by
/// <see cref="ChampionRule"/> → fit on all rows, predictions with 90% intervals, contributions,
/// permutation importance → fairness audit of the out-of-fold predictions, then again with the
/// under-served groups reweighted → registry row, model card → a release pending review when the
/// technical checks pass. Nothing here is served: the publication gate serves approved releases only.
/// </summary>
/// <remarks>
/// <para><b>Blocks.</b> Communes are grouped into 20 km squares of Lambert-93 (a few dozen communes
/// each, wider than the range of the demo world's spatial effect), dealt into the specification's folds.</para>
/// <para><b>Audit unit.</b> The audit compares, per commune over all periods, recorded cases with the
/// out-of-fold expected cases — what the model predicts for places it did not learn from — and the
/// priority list drawn from them (top share of predicted SIR) with the list the records themselves
/// give (top share of the Poisson–gamma smoothed SIR, so that small communes do not top it by noise).</para>
/// <para><b>Mitigation.</b> Weights from <see cref="Reweighting.FromCalibration"/> on the specification's
/// first intersection (else its first dimension), the champion retrained under them and audited again.</para>
/// </remarks>
public sealed class ModelTraining(NpgsqlDataSource dataSource, TimeProvider clock, AuditTrail.AuditLog audit, Release.Releases releases)
{
    /// <summary>Side of the square spatial blocks, metres.</summary>
    public const double BlockSizeMetres = 20_000;

    /// <summary>Permutation repeats for the importance of each feature.</summary>
    private const int ImportanceRepeats = 5;

    public sealed record Outcome(long RunId, long? ReleaseId, string Champion, string Fairness, string FairnessAfterMitigation, IReadOnlyList<string> FailedChecks, string PredictionsSha256);

    /// <summary>
    /// Trains one run. <paramref name="jobKey"/> is the launch request's key (null from the command
    /// line): stored with the run, unique, so a second delivery of the same request cannot start a second run.
    /// While it trains, the run holds a lease (<c>heartbeat_at</c>, see <see cref="Scheduling.Leases"/>).
    /// </summary>
    public async Task<Outcome> RunAsync(ModelSpecification spec, string launchedBy, CancellationToken cancellationToken = default, Guid? jobKey = null)
    {
        using var meter = Scheduling.FootprintMeter.Start();
        var matrix = await new FeatureMatrix(dataSource, clock).BuildAsync(spec, cancellationToken);
        var runId = await StartAsync(spec, matrix, launchedBy, jobKey, cancellationToken);
        await using var heartbeat = new Scheduling.Heartbeat(dataSource,
            "UPDATE ml.model_run SET heartbeat_at = now(), worker = $2 WHERE id = $1 AND status = 'running'", runId);
        try
        {
            var outcome = await TrainAsync(spec, matrix, runId, meter, cancellationToken);
            long? release = outcome.FailedChecks.Count == 0 ? await releases.CreateAsync(runId, cancellationToken) : null;
            return outcome with { ReleaseId = release };
        }
        catch (Exception e)
        {
            // Every way out ends the run with its reason; a killed process is the reaper's to end.
            await using var command = dataSource.CreateCommand("UPDATE ml.model_run SET status = 'failed', error = $2, finished_at = $3 WHERE id = $1");
            command.Parameters.Add(new() { Value = runId });
            command.Parameters.Add(new() { Value = e is OperationCanceledException ? "interrupted: the run was cancelled (the process was stopping)" : e.Message });
            command.Parameters.Add(new() { Value = clock.GetUtcNow() });
            await command.ExecuteNonQueryAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>The succeeded run of <paramref name="spec"/> on today's data by this build, if there is one: training it again would repeat it exactly.</summary>
    public async Task<long?> SameRunAsync(ModelSpecification spec, CancellationToken cancellationToken = default)
    {
        var matrix = await new FeatureMatrix(dataSource, clock).BuildAsync(spec, cancellationToken);
        await using var command = dataSource.CreateCommand("""
            SELECT max(id) FROM ml.model_run WHERE spec_code = $1 AND dataset_version = $2 AND code_version = $3 AND seed = $4 AND status = 'succeeded'
            """);
        command.Parameters.Add(new() { Value = spec.Code });
        command.Parameters.Add(new() { Value = matrix.DatasetVersion });
        command.Parameters.Add(new() { Value = CodeVersion });
        command.Parameters.Add(new() { Value = (decimal)spec.Seed });
        return await command.ExecuteScalarAsync(cancellationToken) as long?;
    }

    /// <summary>Everything a run computes, before it is stored.</summary>
    public sealed record Analysis(
        ChampionDecision Decision, CrossValidationResult PoissonCv, CrossValidationResult BoostedCv, CrossValidationResult Bym2Cv,
        PoissonRiskModel Poisson, BoostedRiskModel Boosted, Bym2RiskModel Bym2,
        CrossValidationResult ChampionCv, IReadOnlyList<TerritoryPrediction> Predictions, IReadOnlyList<TerritoryExplanation> Explanations,
        IReadOnlyList<TerritoryOutcome> Outcomes, FairnessReport Report, FairnessReport MitigatedReport, FairnessComparison Comparison,
        IReadOnlyList<SpatialEffectShare> SpatialEffects, IReadOnlyList<double>? Exceedance);

    /// <summary>
    /// What the BYM2 model's spatial effect took from one fairness group: the mean over its territories of
    /// the posterior mean effect, as a relative risk exp(mean b). Below 1, the spatial term explains part
    /// of the group's lower recorded counts by place — under-recording it may have absorbed.
    /// </summary>
    public sealed record SpatialEffectShare(string Dimension, string Group, int Territories, double RelativeRisk);

    /// <summary>
    /// The computing part of a run, without the database: cross-validation of the three trainers,
    /// champion, final fits, predictions, explanations, fairness audit before and after reweighting.
    /// <paramref name="neighbours"/> are weights among the matrix's territories in order of first appearance
    /// (also the BYM2 model's graph: held-out blocks get their spatial effect from their neighbours);
    /// <paramref name="step"/> hears each of <see cref="TrainingRuns.Steps"/> as it begins.
    /// </summary>
    public static Analysis Analyse(ModelSpecification spec, FeatureMatrix.Data matrix, SpatialWeights neighbours, Action<string>? step = null)
    {
        step?.Invoke("cross_validation");
        var blocks = SpatialBlocks.Grid(matrix.Rows.DistinctBy(r => r.TerritoryCode).Select(r => (r.TerritoryCode, r.X, r.Y)).ToList(), BlockSizeMetres);
        var data = Dataset(spec, matrix, blocks, weights: null);
        var folds = SpatialBlocks.AssignFolds(data, spec.Folds, spec.Seed);
        var boostedOptions = new BoostedRiskOptions(Seed: (int)(spec.Seed % int.MaxValue));
        var poissonCv = SpatialCrossValidation.Run(data, folds, d => PoissonRiskModel.Train(d), ImportanceRepeats, spec.Seed);
        var boostedCv = SpatialCrossValidation.Run(data, folds, d => BoostedRiskModel.Train(d, boostedOptions), ImportanceRepeats, spec.Seed);
        // BYM2: the fit on all rows integrates the hyperparameters; the folds hold them at its mode.
        var field = new Analytics.Models.Modelling.Bym2.Bym2Field(Graph(matrix, neighbours));
        var bym2 = Bym2RiskModel.Train(data, field);
        IRiskModel TrainBym2(ModelDataset d) => Bym2RiskModel.Train(d, field, bym2.Theta);
        var bym2Cv = SpatialCrossValidation.Run(data, folds, TrainBym2, ImportanceRepeats, spec.Seed);
        var decision = ChampionRule.Choose(poissonCv.Pooled, boostedCv.Pooled, bym2Cv.Pooled);
        step?.Invoke("final_fit");
        var poisson = PoissonRiskModel.Train(data);
        var boosted = BoostedRiskModel.Train(data, boostedOptions);
        var (champion, championCv, trainChampion) = decision.Champion switch
        {
            RiskModelKind.Poisson => ((IRiskModel)poisson, poissonCv, (Func<ModelDataset, IRiskModel>)(d => PoissonRiskModel.Train(d))),
            RiskModelKind.BoostedTrees => (boosted, boostedCv, d => BoostedRiskModel.Train(d, boostedOptions)),
            _ => (bym2, bym2Cv, TrainBym2),
        };
        var predictions = champion.Predict(data, new PredictionSettings(0.90, Dispersion: championCv.Dispersion));
        var explanations = champion.Explain(data);

        // Fairness audit of the out-of-fold predictions, per territory over all periods.
        step?.Invoke("fairness_audit");
        var territoryIds = TerritoryIds(matrix);
        var policy = Policy(spec);
        var outcomes = Outcomes(matrix, territoryIds, championCv.OutOfFold, championCv.Dispersion, spec.PriorityShare);
        var report = FairnessAudit.Run(outcomes, policy, neighbours);
        step?.Invoke("mitigation");
        var mitigationDimension = policy.Intersections.Count > 0 ? policy.Intersections[0].Dimension : spec.Groups[0];
        var territoryWeight = Reweighting.FromCalibration(outcomes, mitigationDimension, policy);
        var weightOf = territoryIds.Select((id, i) => (id, w: territoryWeight[i])).ToDictionary(p => p.id, p => p.w);
        var reweighted = Dataset(spec, matrix, blocks, weightOf);
        var mitigatedCv = SpatialCrossValidation.Run(reweighted, folds, trainChampion);
        var mitigatedReport = FairnessAudit.Run(Outcomes(matrix, territoryIds, mitigatedCv.OutOfFold, mitigatedCv.Dispersion, spec.PriorityShare), policy, neighbours);
        return new Analysis(decision, poissonCv, boostedCv, bym2Cv, poisson, boosted, bym2, championCv, predictions, explanations, outcomes, report, mitigatedReport,
            FairnessComparison.Between(report, mitigatedReport), SpatialEffects(bym2, outcomes, policy, spec),
            decision.Champion == RiskModelKind.Bym2 ? bym2.ExceedanceProbabilities(data) : null);
    }

    /// <summary>The neighbour graph of the matrix's territories, in the order of <paramref name="neighbours"/> (first appearance).</summary>
    private static Analytics.Models.Modelling.Bym2.AreaGraph Graph(FeatureMatrix.Data matrix, SpatialWeights neighbours) =>
        Analytics.Models.Modelling.Bym2.AreaGraph.Create(
            [.. matrix.Rows.Select(r => r.TerritoryCode).Distinct()],
            [.. Enumerable.Range(0, neighbours.Count).Select(i => (IReadOnlyList<int>)neighbours.Neighbours(i).ToArray())]);

    /// <summary>The BYM2 spatial effect per group of every audited dimension and of the first intersection.</summary>
    private static List<SpatialEffectShare> SpatialEffects(Bym2RiskModel bym2, IReadOnlyList<TerritoryOutcome> outcomes, FairnessPolicy policy, ModelSpecification spec)
    {
        var dimensions = spec.Groups.Where(g => !g.Contains('*')).Select(d => (Name: d, Group: (Func<TerritoryOutcome, string?>)(o => o.Groups.GetValueOrDefault(d))));
        if (policy.Intersections.Count > 0)
        {
            var (first, second) = (policy.Intersections[0].First, policy.Intersections[0].Second);
            dimensions = dimensions.Append(($"{first} × {second}",
                o => o.Groups.TryGetValue(first, out var a) && o.Groups.TryGetValue(second, out var b) ? $"{a} × {b}" : null));
        }
        return [.. dimensions.SelectMany(d => outcomes
            .Select(o => (Group: d.Group(o), Effect: bym2.SpatialEffect(o.Code).Mean))
            .Where(x => x.Group is not null)
            .GroupBy(x => x.Group!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SpatialEffectShare(d.Name, g.Key, g.Count(), Math.Exp(g.Average(x => x.Effect)))))];
    }

    /// <summary>The matrix's territories in order of first appearance: the order of the audit and of its spatial weights.</summary>
    public static List<long> TerritoryIds(FeatureMatrix.Data matrix) => matrix.Rows.Select(r => r.TerritoryId).Distinct().ToList();

    private async Task<Outcome> TrainAsync(ModelSpecification spec, FeatureMatrix.Data matrix, long runId, Scheduling.FootprintMeter meter, CancellationToken cancellationToken)
    {
        var neighbours = await new Neighbours(dataSource).ReadAsync(Levels.Commune, await VintageAsync(matrix, cancellationToken), NeighbourRule.Queen, cancellationToken: cancellationToken);
        var territoryIds = TerritoryIds(matrix);
        // Each step lasts until the next begins (StageMetrics, stage training.<step>); all go through the matrix's rows.
        StageMetrics.StageTimer? running = null;
        void Step(string step)
        {
            running?.Stop(matrix.Rows.Count);
            running = StageMetrics.Start($"training.{step}");
            RecordStep(runId, step);
        }
        var analysis = Analyse(spec, matrix, neighbours.WeightsAmong(territoryIds, WeightStyle.RowStandardised), Step);
        var (decision, poissonCv, boostedCv, bym2Cv, _, _, _, championCv, predictions, _, outcomes, report, mitigatedReport, _, _, _) = analysis;
        Step("storing");
        var map = ResidualMap.Of(await OutlinesAsync(territoryIds, cancellationToken), outcomes, SecrecyRule.Default);
        var published = PublishedFairness.Protect(report, outcomes, SecrecyRule.Default);

        var checks = Checks(predictions, poissonCv, boostedCv, bym2Cv).ToList();
        var predictionsSha = PredictionsHash(predictions);
        await StoreAsync(runId, spec, matrix, analysis, map, published, checks, predictionsSha, meter.Stop(), cancellationToken);
        running?.Stop(matrix.Rows.Count);
        return new Outcome(runId, null, Name(decision.Champion), Verdicts.Id(report.Overall), Verdicts.Id(mitigatedReport.Overall), checks, predictionsSha);
    }

    /// <summary>Records the step the run begins, for its progress bar; synchronous because the analysis is.</summary>
    private void RecordStep(long runId, string step)
    {
        using var command = dataSource.CreateCommand("UPDATE ml.model_run SET step = $2 WHERE id = $1");
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = step });
        command.ExecuteNonQuery();
    }

    /// <summary>The specification's rows as the trainers take them; <paramref name="weights"/> per territory id, 1 when null.</summary>
    private static ModelDataset Dataset(ModelSpecification spec, FeatureMatrix.Data matrix, IReadOnlyDictionary<string, string> blocks, IReadOnlyDictionary<long, double>? weights) =>
        ModelDataset.Create(matrix.FeatureNames, matrix.Rows.Select(r => new ModelRow(r.TerritoryCode, r.Period, blocks[r.TerritoryCode], r.Observed, r.Population,
            spec.Exposure == ExposureKind.Expected ? r.Exposure : null, r.Features, weights?[r.TerritoryId] ?? 1)).ToList());

    private static FairnessPolicy Policy(ModelSpecification spec) => new()
    {
        PriorityShare = spec.PriorityShare,
        Seed = spec.Seed,
        Intersections = spec.Groups.Where(g => g.Contains('*')).Select(g => g.Split('*')).Select(p => new GroupIntersection(p[0], p[1])).ToList(),
    };

    /// <summary>One outcome per territory (in <paramref name="territoryIds"/> order): Σ observed, Σ predicted, the interval of the sum, both priority lists.</summary>
    private static List<TerritoryOutcome> Outcomes(FeatureMatrix.Data matrix, IReadOnlyList<long> territoryIds, IReadOnlyList<double> predicted, double dispersion, double share)
    {
        var sums = new Dictionary<long, (string Code, long Observed, double Predicted, double Exposure, double Population, IReadOnlyDictionary<string, string> Groups)>();
        for (var i = 0; i < matrix.Rows.Count; i++)
        {
            var r = matrix.Rows[i];
            var s = sums.GetValueOrDefault(r.TerritoryId, (r.TerritoryCode, 0, 0, 0, 0, r.Groups));
            sums[r.TerritoryId] = (s.Code, s.Observed + r.Observed, s.Predicted + predicted[i], s.Exposure + r.Exposure, s.Population + r.Population, s.Groups);
        }
        var rows = territoryIds.Select(id => sums[id]).ToList();
        var selected = PriorityList.TopShare(rows.Select(r => r.Predicted / r.Exposure).ToList(), share);
        var smoothing = PoissonGammaModel.Fit(rows.Select(r => r.Observed).ToList(), rows.Select(r => r.Exposure).ToList());
        var recorded = PriorityList.TopShare(rows.Select(r => smoothing.Posterior(r.Observed, r.Exposure).Mean).ToList(), share);
        return rows.Select((r, i) => new TerritoryOutcome(r.Code, r.Observed, r.Predicted, r.Population, selected[i], recorded[i], r.Groups,
            PredictionIntervals.Count(r.Predicted, Math.Max(1, dispersion) * r.Predicted).Upper)).ToList();
    }

    /// <summary>What must hold before a run may go to review; each failure is named.</summary>
    private static IEnumerable<string> Checks(IReadOnlyList<TerritoryPrediction> predictions, CrossValidationResult poisson, CrossValidationResult boosted, CrossValidationResult bym2)
    {
        if (predictions.Any(p => !double.IsFinite(p.Expected) || p.Expected < 0 || !double.IsFinite(p.Sir)))
            yield return "a prediction is not a finite non-negative number";
        if (predictions.Any(p => p.Lower > p.Upper || p.Lower > p.Expected))
            yield return "a prediction interval is empty or lies above its prediction";
        foreach (var (name, cv) in new[] { ("poisson", poisson), ("boosted", boosted), ("bym2", bym2) })
            if (!double.IsFinite(cv.Pooled.MeanPoissonDeviance) || !double.IsFinite(cv.Pooled.CalibrationSlope))
                yield return $"{name}: cross-validation metrics are not finite";
        if (!(poisson.Pooled.CalibrationSlope is > 0.5 and < 2))
            yield return $"poisson: out-of-fold calibration slope {poisson.Pooled.CalibrationSlope:F2} outside 0.5–2";
    }

    /// <summary>SHA-256 over every prediction written with round-trip precision: equal hashes mean byte-identical predictions.</summary>
    public static string PredictionsHash(IReadOnlyList<TerritoryPrediction> predictions)
    {
        var text = new StringBuilder();
        foreach (var p in predictions)
            text.Append(CultureInfo.InvariantCulture, $"{p.Territory};{p.Period};{p.Expected:R};{p.Sir:R};{p.Lower};{p.Upper}\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The run of the launch request <paramref name="jobKey"/>, if it started already (whatever became of it).</summary>
    public async Task<long?> RunOfJobAsync(Guid jobKey, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT id FROM ml.model_run WHERE job_key = $1");
        command.Parameters.Add(new() { Value = jobKey });
        return await command.ExecuteScalarAsync(cancellationToken) as long?;
    }

    private async Task<long> StartAsync(ModelSpecification spec, FeatureMatrix.Data matrix, string launchedBy, Guid? jobKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO ml.model_run (spec_code, specification, matrix_id, dataset_version, seed, code_version, launched_by, started_at, status, job_key, heartbeat_at, worker)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'running', $9, now(), $10) RETURNING id
            """, connection, transaction);
        command.Parameters.Add(new() { Value = spec.Code });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(spec), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = matrix.Id });
        command.Parameters.Add(new() { Value = matrix.DatasetVersion });
        command.Parameters.Add(new() { Value = (decimal)spec.Seed });
        command.Parameters.Add(new() { Value = CodeVersion });
        command.Parameters.Add(new() { Value = launchedBy });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        command.Parameters.Add(new() { Value = (object?)jobKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = Scheduling.Leases.Worker });
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        await audit.AppendAsync(connection, transaction, new AuditEntry(launchedBy, AuditKinds.ModelRun, $"run:{id}",
            new JsonObject { ["model"] = spec.Code, ["datasetVersion"] = matrix.DatasetVersion, ["seed"] = spec.Seed.ToString(CultureInfo.InvariantCulture) }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>The build of the code that trains: the modules' ids, which deterministic builds derive from the source.</summary>
    public static string CodeVersion { get; } =
        $"Analytics.Models {typeof(PoissonRiskModel).Assembly.ManifestModule.ModuleVersionId:N}; Analytics.Jobs {typeof(ModelTraining).Assembly.ManifestModule.ModuleVersionId:N}";

    private async Task StoreAsync(long runId, ModelSpecification spec, FeatureMatrix.Data matrix, Analysis analysis,
        ResidualMap map, PublishedFairness published, List<string> checks, string predictionsSha, Scheduling.Footprint footprint, CancellationToken cancellationToken)
    {
        var (decision, poissonCv, boostedCv, bym2Cv, poisson, boosted, bym2, championCv, predictions, explanations, _, report, mitigated, comparison, spatialEffects, exceedance) = analysis;
        var coefficients = poisson.Coefficients.Select(c => new
        {
            name = c.Name, estimate = c.Estimate, standardError = c.StandardError, rateRatio = c.RateRatio,
            rateRatioLow = c.RateRatioInterval().Lower, rateRatioHigh = c.RateRatioInterval().Upper,
        }).ToList();
        var metrics = new
        {
            poisson = poissonCv.Pooled, boosted = boostedCv.Pooled, bym2 = bym2Cv.Pooled,
            poissonPerFold = poissonCv.PerFold, boostedPerFold = boostedCv.PerFold, bym2PerFold = bym2Cv.PerFold, folds = spec.Folds, blockSizeMetres = BlockSizeMetres,
        };
        var spatial = new
        {
            hyperparameters = bym2.Hyperparameters.Select(h => new { name = h.Name, mean = h.Mean, sd = h.StandardDeviation, atMode = h.AtMode }),
            // The reported standard error is the larger of the posterior's and the block-robust one (Bym2RiskModel.Coefficients).
            coefficients = bym2.Coefficients.Select((c, j) => new
            {
                name = c.Name, estimate = c.Estimate, standardError = c.StandardError, rateRatio = c.RateRatio,
                rateRatioLow = c.RateRatioInterval().Lower, rateRatioHigh = c.RateRatioInterval().Upper,
                posteriorStandardError = bym2.PosteriorCoefficients[j].StandardError, blockRobustStandardError = bym2.BlockRobustCoefficients?[j].StandardError,
            }),
            varianceBlocks = bym2.VarianceBlocks,
            effectByGroup = spatialEffects.Select(e => new { dimension = e.Dimension, group = e.Group, territories = e.Territories, relativeRisk = e.RelativeRisk }),
        };
        var importance = championCv.Importance;
        var card = ModelCard.Build(spec, matrix, decision, new ModelCard.Candidates(poissonCv, boostedCv, bym2Cv), bym2, spatialEffects, report, mitigated, CodeVersion, footprint);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var update = new NpgsqlCommand("""
            UPDATE ml.model_run SET status = 'succeeded', finished_at = $2, champion = $3, champion_rule = $4, metrics = $5, coefficients = $6,
                importance = $7, residual_moran = $8, checks = $9, model_poisson = $10, model_boosted = $11, model_card = $12, predictions_sha256 = $13,
                model_bym2 = $14, spatial = $15, footprint = $16
            WHERE id = $1
            """, connection, transaction))
        {
            update.Parameters.Add(new() { Value = runId });
            update.Parameters.Add(new() { Value = clock.GetUtcNow() });
            update.Parameters.Add(new() { Value = Name(decision.Champion) });
            update.Parameters.Add(new() { Value = decision.Reason.ToString() });
            update.Parameters.Add(new() { Value = JsonSerializer.Serialize(metrics), NpgsqlDbType = NpgsqlDbType.Jsonb });
            update.Parameters.Add(new() { Value = JsonSerializer.Serialize(coefficients), NpgsqlDbType = NpgsqlDbType.Jsonb });
            update.Parameters.Add(new() { Value = JsonSerializer.Serialize(importance), NpgsqlDbType = NpgsqlDbType.Jsonb });
            update.Parameters.Add(new() { Value = JsonSerializer.Serialize(report.ResidualAutocorrelation is { } m ? new { i = m.I, expected = m.Expected, p = m.Permutation?.PseudoPValue ?? m.PValueRandomisation } : null), NpgsqlDbType = NpgsqlDbType.Jsonb });
            update.Parameters.Add(new() { Value = JsonSerializer.Serialize(new { passed = checks.Count == 0, failures = checks }), NpgsqlDbType = NpgsqlDbType.Jsonb });
            update.Parameters.Add(new() { Value = poisson.Serialize() });
            update.Parameters.Add(new() { Value = boosted.Serialize() });
            update.Parameters.Add(new() { Value = JsonSerializer.Serialize(card), NpgsqlDbType = NpgsqlDbType.Jsonb });
            update.Parameters.Add(new() { Value = predictionsSha });
            update.Parameters.Add(new() { Value = bym2.Serialize() });
            update.Parameters.Add(new() { Value = JsonSerializer.Serialize(spatial), NpgsqlDbType = NpgsqlDbType.Jsonb });
            update.Parameters.Add(new() { Value = Scheduling.FootprintJson.Of(footprint), NpgsqlDbType = NpgsqlDbType.Jsonb });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        // Priority list: the latest period's top share of predicted SIR.
        var latest = predictions.Max(p => p.Period)!;
        var ranked = predictions.Select((p, i) => (p, i)).Where(x => x.p.Period == latest).OrderByDescending(x => x.p.Sir).ThenBy(x => x.p.Territory, StringComparer.Ordinal).ToList();
        var listSize = (int)Math.Ceiling(ranked.Count * spec.PriorityShare);
        var rankOf = ranked.Take(listSize).Select((x, k) => (x.i, k + 1)).ToDictionary(p => p.i, p => p.Item2);
        var ids = matrix.Rows.ToDictionary(r => (r.TerritoryCode, r.Period), r => r.TerritoryId);
        await Predictions.WriteAsync(connection, predictions.Select((p, i) => new PredictionRow(
            runId, ids[(p.Territory, p.Period)], p.Period, matrix.Rows[i].Exposure, p.Expected, p.Lower, p.Upper, p.Sir, championCv.OutOfFold[i],
            rankOf.TryGetValue(i, out var rank) ? rank : null, exceedance?[i],
            JsonSerializer.Serialize(matrix.FeatureNames.Select((f, j) => (f, j)).ToDictionary(x => x.f, x => explanations[i].Contributions[x.j])))), cancellationToken);

        // Each report twice: whole for the review routes (residual map in classes), and the analyst-facing form.
        foreach (var (variant, audited) in new[] { ("unmitigated", report), ("reweighted", mitigated) })
        {
            var reweighted = variant == "reweighted";
            var full = FairnessView.Unrestricted(audited);
            var view = published.View(audited);
            await using var insert = new NpgsqlCommand("""
                INSERT INTO ml.fairness_report (run_id, variant, verdict, report, html, csv, published_report, published_html, published_csv, html_en, published_html_en)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                """, connection, transaction);
            insert.Parameters.Add(new() { Value = runId });
            insert.Parameters.Add(new() { Value = variant });
            insert.Parameters.Add(new() { Value = Verdicts.Id(audited.Overall) });
            insert.Parameters.Add(new() { Value = FairnessReportWriter.ToJson(audited), NpgsqlDbType = NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new() { Value = Html(full, map, reweighted ? comparison : null) });
            insert.Parameters.Add(new() { Value = Csv(full) });
            insert.Parameters.Add(new() { Value = FairnessReportWriter.ToJson(view), NpgsqlDbType = NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new() { Value = Html(view, null, reweighted ? published.View(comparison) : null) });
            insert.Parameters.Add(new() { Value = Csv(view) });
            insert.Parameters.Add(new() { Value = Html(full, map, reweighted ? comparison : null, english: true) });
            insert.Parameters.Add(new() { Value = Html(view, null, reweighted ? published.View(comparison) : null, english: true) });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static string Html(FairnessView view, ResidualMap? map, FairnessComparison? comparison, bool english = false)
    {
        var html = new StringWriter();
        FairnessReportWriter.WriteHtml(view, html, map, comparison, english);
        return html.ToString();
    }

    private static string Csv(FairnessView view)
    {
        var csv = new StringWriter();
        FairnessReportWriter.WriteCsv(view, csv);
        return csv.ToString();
    }

    private async Task<int> VintageAsync(FeatureMatrix.Data matrix, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT vintage FROM geo.territory WHERE id = $1");
        command.Parameters.Add(new() { Value = matrix.Rows[0].TerritoryId });
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Commune outlines simplified to 50 m for the residual map of the fairness report.</summary>
    private async Task<Dictionary<string, Geometry>> OutlinesAsync(IReadOnlyList<long> territoryIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT code, ST_SimplifyPreserveTopology(geom_l93, 50) FROM geo.territory WHERE id = ANY ($1)");
        command.Parameters.Add(new() { Value = territoryIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var outlines = new Dictionary<string, Geometry>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
            outlines[reader.GetString(0)] = reader.GetFieldValue<Geometry>(1);
        return outlines;
    }

    public static string Name(RiskModelKind kind) => kind switch
    {
        RiskModelKind.Poisson => "poisson",
        RiskModelKind.BoostedTrees => "boosted",
        _ => "bym2",
    };

    private sealed record PredictionRow(long RunId, long TerritoryId, string Period, double Exposure, double Predicted, double IntervalLow, double IntervalHigh,
        double PredictedSir, double OutOfFold, int? PriorityRank, double? Exceedance, string Contributions);

    private static readonly CopyTable<PredictionRow> Predictions = new("ml.prediction",
        new("run_id", NpgsqlDbType.Bigint, r => r.RunId), new("territory_id", NpgsqlDbType.Bigint, r => r.TerritoryId), new("period", NpgsqlDbType.Text, r => r.Period),
        new("exposure", NpgsqlDbType.Double, r => r.Exposure), new("predicted", NpgsqlDbType.Double, r => r.Predicted),
        new("interval_low", NpgsqlDbType.Double, r => r.IntervalLow), new("interval_high", NpgsqlDbType.Double, r => r.IntervalHigh),
        new("predicted_sir", NpgsqlDbType.Double, r => r.PredictedSir), new("out_of_fold", NpgsqlDbType.Double, r => r.OutOfFold),
        new("priority_rank", NpgsqlDbType.Integer, r => r.PriorityRank), new("exceedance", NpgsqlDbType.Double, r => r.Exceedance),
        new("contributions", NpgsqlDbType.Jsonb, r => r.Contributions));
}
