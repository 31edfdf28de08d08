using System.Text.Json;
using Analytics.Jobs.AuditTrail;
using Analytics.Jobs.Release;
using Analytics.Jobs.Training;
using Microsoft.Extensions.Options;

namespace Analytics.Jobs.Tests.Training;

/// <summary>The asthma model trained on the demo world's recorded counts, audited, and submitted for review.</summary>
[Collection(DemoPipelineCollection.Name)]
public class ModelTrainingTests(DemoPipeline pipeline) : IAsyncLifetime
{
    private ModelTraining.Outcome outcome = null!;

    private ModelTraining Training()
    {
        var audit = new AuditLog(pipeline.Database.DataSource, TimeProvider.System, Options.Create(new AuditOptions()));
        return new ModelTraining(pipeline.Database.DataSource, TimeProvider.System, audit, new Releases(pipeline.Database.DataSource, TimeProvider.System, audit));
    }

    public async Task InitializeAsync() => outcome = await pipeline.TrainedAsync("asthma_commune", Training);

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonElement> ReportAsync(string variant) =>
        JsonDocument.Parse(await pipeline.Database.ScalarAsync<string>($"SELECT report::text FROM ml.fairness_report WHERE run_id = {outcome.RunId} AND variant = '{variant}'")).RootElement;

    private static JsonElement Metric(JsonElement report, string dimension, string group, string metric) =>
        report.GetProperty("dimensions").EnumerateArray().Single(d => d.GetProperty("dimension").GetString() == dimension)
            .GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("label").GetString() == group)
            .GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == metric);

    [Fact]
    public async Task a_run_that_passes_its_checks_becomes_a_release_pending_review()
    {
        Assert.Empty(outcome.FailedChecks);
        Assert.NotNull(outcome.ReleaseId);
        Assert.Equal("pending_review", await pipeline.Database.ScalarAsync<string>($"SELECT state FROM review.release WHERE id = {outcome.ReleaseId}"));
        Assert.Equal(1233L * 5, await pipeline.Database.ScalarAsync<long>($"SELECT count(*) FROM ml.prediction WHERE run_id = {outcome.RunId}"));
        // Top 10% of 1,233 communes, latest year.
        Assert.Equal(124L, await pipeline.Database.ScalarAsync<long>($"SELECT count(*) FROM ml.prediction WHERE run_id = {outcome.RunId} AND priority_rank IS NOT NULL"));
        Assert.Equal(0L, await pipeline.Database.ScalarAsync<long>($"SELECT count(*) FROM ml.prediction WHERE run_id = {outcome.RunId} AND NOT (interval_low <= predicted AND interval_low <= interval_high)"));
    }

    [Fact]
    public async Task the_registry_keeps_what_is_needed_to_repeat_and_explain_the_run()
    {
        var row = JsonDocument.Parse(await pipeline.Database.ScalarAsync<string>($"""
            SELECT jsonb_build_object('seed', seed, 'code', code_version, 'data', dataset_version, 'card', model_card, 'coefficients', coefficients,
                'poisson', octet_length(model_poisson), 'boosted', octet_length(model_boosted), 'moran', residual_moran)::text
            FROM ml.model_run WHERE id = {outcome.RunId}
            """)).RootElement;
        Assert.Equal(42, row.GetProperty("seed").GetInt32());
        Assert.Matches("^[0-9a-f]{64}$", row.GetProperty("data").GetString());
        Assert.True(row.GetProperty("poisson").GetInt32() > 0 && row.GetProperty("boosted").GetInt32() > 0);
        Assert.Contains("asthme", row.GetProperty("card").GetProperty("Title").GetProperty("Fr").GetString());
        // The Poisson model's rate ratio for deprivation: truth is exp(0.15) = 1.16 per unit (TRUTH.md), recorded counts pull it down
        // (under-ascertainment in deprived rural communes), but it stays a clear positive association.
        var fdep = row.GetProperty("coefficients").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "fdep");
        Assert.InRange(fdep.GetProperty("rateRatio").GetDouble(), 1.02, 1.2);
        Assert.True(row.GetProperty("moran").TryGetProperty("i", out _));
    }

    [Fact]
    public async Task the_audit_fails_the_group_with_planted_under_ascertainment_and_not_the_groups_without()
    {
        var report = await ReportAsync("unmitigated");

        var planted = Metric(report, "density_class × deprivation_quintile", "rural × 5", "calibration");
        Assert.Equal("fail", planted.GetProperty("verdict").GetString());
        Assert.InRange(planted.GetProperty("ratio").GetDouble(), 0.5, 0.8);
        // Groups with no planted commune: the least deprived quintiles and the urban communes.
        foreach (var (dimension, group) in new[] { ("deprivation_quintile", "1"), ("deprivation_quintile", "2"), ("deprivation_quintile", "3"), ("density_class", "urban") })
        {
            var verdict = Metric(report, dimension, group, "calibration").GetProperty("verdict").GetString();
            Assert.True(verdict is "pass" or "insufficient_evidence" or "not_judged", $"{dimension} = {group}: calibration {verdict}");
        }
    }

    [Fact]
    public async Task the_bym2_candidate_is_kept_with_what_its_spatial_effect_took_and_does_not_absorb_the_planted_under_recording()
    {
        var row = JsonDocument.Parse(await pipeline.Database.ScalarAsync<string>(
            $"SELECT jsonb_build_object('spatial', spatial, 'metrics', metrics, 'card', model_card)::text FROM ml.model_run WHERE id = {outcome.RunId}")).RootElement;
        var model = (Analytics.Models.Modelling.Bym2RiskModel)Analytics.Models.Modelling.RiskModel.Load(
            await pipeline.Database.ScalarAsync<byte[]>($"SELECT model_bym2 FROM ml.model_run WHERE id = {outcome.RunId}"));

        Assert.True(row.GetProperty("metrics").GetProperty("bym2").GetProperty("MeanPoissonDeviance").GetDouble() > 0);
        // σ of the demo world's spatial effect is 0.1 (TRUTH.md); recorded counts and PM2.5 share some of it.
        Assert.InRange(model.Hyperparameters[0].Mean, 0.03, 0.3);
        // The planted group records 60% of its cases; its spatial effect stays near 1: place does not explain them away.
        var planted = row.GetProperty("spatial").GetProperty("effectByGroup").EnumerateArray()
            .Single(e => e.GetProperty("dimension").GetString() == "density_class × deprivation_quintile" && e.GetProperty("group").GetString() == "rural × 5");
        Assert.InRange(planted.GetProperty("relativeRisk").GetDouble(), 0.95, 1.05);
        Assert.Contains("BYM2", row.GetProperty("card").GetProperty("Spatial").GetProperty("Fr").GetString());
        // The failing group is named with what the spatial effect took from it.
        Assert.Contains("density class × deprivation quintile = rural × 5", row.GetProperty("card").GetProperty("Spatial").GetProperty("En").GetString());
        Assert.Contains("classe de densité × quintile de défavorisation = rural × 5", row.GetProperty("card").GetProperty("Spatial").GetProperty("Fr").GetString());
        // Coefficients carry the posterior and block-robust standard errors, and the wider is the one reported and named on the card.
        var spatial = row.GetProperty("spatial");
        Assert.Equal(model.VarianceBlocks, spatial.GetProperty("varianceBlocks").GetInt32());
        Assert.True(model.VarianceBlocks >= Analytics.Models.Modelling.Bym2RiskModel.MinimumVarianceBlocks, $"{model.VarianceBlocks} blocks");
        Assert.All(spatial.GetProperty("coefficients").EnumerateArray(), c => Assert.Equal(
            Math.Max(c.GetProperty("posteriorStandardError").GetDouble(), c.GetProperty("blockRobustStandardError").GetDouble()), c.GetProperty("standardError").GetDouble()));
        Assert.Contains($"robuste par blocs ({model.VarianceBlocks} blocs de 20 km)", row.GetProperty("card").GetProperty("Spatial").GetProperty("Fr").GetString());
        // The card speaks the reviewer's words: the champion rule's step and the groups, not their codes.
        var method = row.GetProperty("card").GetProperty("Method").GetProperty("Fr").GetString()!;
        var reason = Enum.GetValues<Analytics.Models.Modelling.ChampionReason>().Single(r => method.Contains(Analytics.Models.Modelling.ChampionRule.Words(r).Fr));
        Assert.DoesNotContain(reason.ToString(), method);
        Assert.DoesNotContain("density_class", row.GetProperty("card").GetProperty("Fairness").GetProperty("Fr").GetString());
    }

    [Fact]
    public async Task the_footprint_of_the_run_and_of_the_features_build_is_recorded_and_in_the_model_card()
    {
        var row = JsonDocument.Parse(await pipeline.Database.ScalarAsync<string>(
            $"SELECT jsonb_build_object('run', footprint, 'card', model_card->'Footprint', 'build', (SELECT footprint FROM features.build ORDER BY id DESC LIMIT 1))::text FROM ml.model_run WHERE id = {outcome.RunId}")).RootElement;

        foreach (var part in new[] { "run", "build" })
        {
            var footprint = row.GetProperty(part);
            Assert.True(footprint.GetProperty("wallSeconds").GetDouble() > 0, part);
            Assert.True(footprint.GetProperty("cpuSeconds").GetDouble() > 0, part);
            Assert.True(footprint.GetProperty("peakMemoryBytes").GetInt64() > 10_000_000, part);
            Assert.True(footprint.GetProperty("energyWattHours").GetDouble() > 0, part);
        }
        Assert.Contains("Green Algorithms", row.GetProperty("card").GetProperty("Fr").GetString());
        Assert.Contains(" Wh ", row.GetProperty("card").GetProperty("En").GetString());
    }

    [Fact]
    public async Task reweighting_is_audited_beside_the_model_as_trained()
    {
        var before = Metric(await ReportAsync("unmitigated"), "deprivation_quintile", "5", "calibration").GetProperty("ratio").GetDouble();
        var after = Metric(await ReportAsync("reweighted"), "deprivation_quintile", "5", "calibration").GetProperty("ratio").GetDouble();

        Assert.NotEqual(before, after);
        Assert.Contains("repondér", await pipeline.Database.ScalarAsync<string>($"SELECT html FROM ml.fairness_report WHERE run_id = {outcome.RunId} AND variant = 'reweighted'"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task the_same_inputs_and_seed_give_byte_identical_predictions_and_a_launch_can_be_followed_to_its_release()
    {
        var launch = Guid.NewGuid();
        Assert.Null(await new TrainingRuns(pipeline.Database.DataSource).OfLaunchAsync(launch));
        var again = await Training().RunAsync(DemoPipeline.Specification("asthma_commune"), "another-steward", jobKey: launch);

        // The steward's progress bar: the run went through every step, the last one recorded, and names its release.
        var progress = await new TrainingRuns(pipeline.Database.DataSource).OfLaunchAsync(launch);
        Assert.NotNull(progress);
        Assert.Equal((again.RunId, "succeeded", "storing", again.ReleaseId), (progress.RunId, progress.Status, progress.Step, progress.ReleaseId));
        Assert.Equal(TrainingRuns.Steps.Count, progress.StepsDone);
        Assert.NotNull(progress.FinishedAt);

        Assert.NotEqual(outcome.RunId, again.RunId);
        var firstDifference = await pipeline.Database.ScalarAsync<string?>($"""
            SELECT format('%s %s: %s vs %s (champions %s, %s)', a.territory_id, a.period, a.predicted, b.predicted,
                (SELECT champion FROM ml.model_run WHERE id = {outcome.RunId}), (SELECT champion FROM ml.model_run WHERE id = {again.RunId}))
            FROM ml.prediction a JOIN ml.prediction b ON b.run_id = {again.RunId} AND (b.territory_id, b.period) = (a.territory_id, a.period)
            WHERE a.run_id = {outcome.RunId} AND a.predicted <> b.predicted LIMIT 1
            """);
        Assert.True(firstDifference is null, firstDifference + " / " + await pipeline.Database.ScalarAsync<string>($"SELECT string_agg(coefficients::text, ' || ') FROM ml.model_run WHERE id IN ({outcome.RunId}, {again.RunId})"));
        Assert.Equal(outcome.PredictionsSha256, again.PredictionsSha256);
        Assert.Equal(
            await pipeline.Database.ScalarAsync<string>($"SELECT string_agg(predicted::text || ':' || interval_high::text, ',' ORDER BY territory_id, period) FROM ml.prediction WHERE run_id = {outcome.RunId}"),
            await pipeline.Database.ScalarAsync<string>($"SELECT string_agg(predicted::text || ':' || interval_high::text, ',' ORDER BY territory_id, period) FROM ml.prediction WHERE run_id = {again.RunId}"));
    }
}
