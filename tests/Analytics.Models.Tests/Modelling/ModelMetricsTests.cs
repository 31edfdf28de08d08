using Analytics.Models.Modelling;

namespace Analytics.Models.Tests.Modelling;

public class ModelMetricsTests
{
    // Three territories: observed y = (0, 2, 5), predicted μ = (1, 2, 4), population (1000, 2000, 5000).
    private static readonly ModelDataset Data = ModelDataset.Create(["x"],
    [
        new ModelRow("A", "2021", "b", 0, 1_000, null, [1.0]),
        new ModelRow("B", "2021", "b", 2, 2_000, null, [2.0]),
        new ModelRow("C", "2021", "b", 5, 5_000, null, [3.0]),
    ]);

    private static readonly double[] Predicted = [1, 2, 4];

    [Fact]
    public void the_mean_poisson_deviance_matches_the_hand_computation()
    {
        // Unit deviances 2[y log(y/μ) − (y − μ)]: y = 0, μ = 1 → 2·(0 + 1) = 2; y = μ = 2 → 0;
        // y = 5, μ = 4 → 2(5 log 1.25 − 1). Mean over the three rows.
        var metrics = ModelMetrics.Compute(Data, Predicted);

        Assert.Equal((2 + 0 + 2 * (5 * Math.Log(1.25) - 1)) / 3, metrics.MeanPoissonDeviance, 12);
        Assert.Equal(3, metrics.Rows);
    }

    [Fact]
    public void the_mean_absolute_error_on_rates_per_100000_matches_the_hand_computation()
    {
        // |0 − 1|/1000 = 100 per 100,000; 0; |5 − 4|/5000 = 20 per 100,000; mean 40.
        Assert.Equal(40, ModelMetrics.Compute(Data, Predicted).MaeRatePer100000, 10);
    }

    [Fact]
    public void observed_over_expected_is_the_ratio_of_totals()
    {
        Assert.Equal(7.0 / 7.0, ModelMetrics.Compute(Data, Predicted).ObservedOverExpected, 12);
        Assert.Equal(7.0 / 14.0, ModelMetrics.Compute(Data, [2, 4, 8]).ObservedOverExpected, 12);
    }

    [Fact]
    public void spearman_gives_tied_rates_their_average_rank()
    {
        // Observed rates (0, 0.001, 0.001) → ranks (1, 2.5, 2.5); predicted rates (0.001, 0.001, 0.0008)
        // → ranks (2.5, 2.5, 1). Centred: (−1, .5, .5) and (.5, .5, −1): ρ = −0.75 / √(1.5 · 1.5) = −0.5.
        Assert.Equal(-0.5, ModelMetrics.Compute(Data, Predicted).SpearmanRank, 12);
        Assert.Equal(1.0, ModelMetrics.Spearman([1, 5, 20, 300], [0.1, 0.2, 0.3, 0.4]), 12);
    }

    [Fact]
    public void perfect_predictions_have_calibration_slope_one_and_intercept_zero()
    {
        // μ = y makes a = 0, b = 1 reproduce every count: the deviance is 0, the likelihood's maximum.
        var (slope, intercept) = ModelMetrics.Calibration([1, 2, 5, 9], [1, 2, 5, 9]);

        Assert.Equal(1, slope, 8);
        Assert.Equal(0, intercept, 8);
    }

    [Fact]
    public void predictions_twice_too_high_have_slope_one_and_intercept_minus_log_two()
    {
        // μ = 2y: a = −log 2, b = 1 gives exp(a + b log 2y) = y exactly.
        var (slope, intercept) = ModelMetrics.Calibration([1, 2, 5, 9], [2, 4, 10, 18]);

        Assert.Equal(1, slope, 8);
        Assert.Equal(-Math.Log(2), intercept, 8);
    }

    [Fact]
    public void predictions_too_spread_out_have_a_slope_below_one()
    {
        // μ = y²: a = 0, b = ½ gives exp(½ log y²) = y exactly.
        var (slope, intercept) = ModelMetrics.Calibration([1, 2, 5, 9], [1, 4, 25, 81]);

        Assert.Equal(0.5, slope, 8);
        Assert.Equal(0, intercept, 8);
    }

    [Fact]
    public void identical_predictions_have_no_calibration_slope()
    {
        var (slope, intercept) = ModelMetrics.Calibration([1, 2, 5], [3, 3, 3]);

        Assert.True(double.IsNaN(slope));
        Assert.True(double.IsNaN(intercept));
    }
}

public class ChampionRuleTests
{
    private static ModelMetrics Metrics(double deviance, double slope) => new(1_000, deviance, 10, slope, 0, 1, 0.5);

    private static readonly ModelMetrics Tied = Metrics(0.995, 1.0);

    [Fact]
    public void a_calibrated_boosted_challenger_that_lowers_the_deviance_by_more_than_one_percent_wins()
    {
        var decision = ChampionRule.Choose(Metrics(1.00, 1.0), Metrics(0.98, 0.95), Tied);

        Assert.Equal(new ChampionDecision(RiskModelKind.BoostedTrees, ChampionReason.ChallengerClearlyBetter), decision);
    }

    [Fact]
    public void a_calibrated_bym2_challenger_that_lowers_the_deviance_by_more_than_one_percent_wins()
    {
        var decision = ChampionRule.Choose(Metrics(1.00, 1.0), Tied, Metrics(0.97, 1.02));

        Assert.Equal(new ChampionDecision(RiskModelKind.Bym2, ChampionReason.SpatialClearlyBetter), decision);
    }

    [Theory]
    [InlineData(0.975, RiskModelKind.Bym2)]     // trees within 1% of BYM2: BYM2, readable, keeps it
    [InlineData(0.95, RiskModelKind.BoostedTrees)] // trees more than 1% below BYM2 too
    public void when_both_challengers_pass_the_trees_must_also_beat_bym2_by_one_percent(double boostedDeviance, RiskModelKind champion)
    {
        var decision = ChampionRule.Choose(Metrics(1.00, 1.0), Metrics(boostedDeviance, 1.0), Metrics(0.98, 1.0));

        Assert.Equal(champion, decision.Champion);
    }

    [Fact]
    public void challengers_less_than_one_percent_better_are_a_tie_and_ties_go_to_the_poisson_model()
    {
        var decision = ChampionRule.Choose(Metrics(1.00, 1.0), Tied, Tied);

        Assert.Equal(new ChampionDecision(RiskModelKind.Poisson, ChampionReason.ChallengerNotClearlyBetter), decision);
    }

    [Theory]
    [InlineData(0.79)]
    [InlineData(1.21)]
    [InlineData(double.NaN)]
    public void miscalibrated_challengers_lose_however_low_their_deviance(double slope)
    {
        var decision = ChampionRule.Choose(Metrics(1.00, 1.0), Metrics(0.5, slope), Metrics(0.5, slope));

        Assert.Equal(new ChampionDecision(RiskModelKind.Poisson, ChampionReason.ChallengerMiscalibrated), decision);
    }
}
