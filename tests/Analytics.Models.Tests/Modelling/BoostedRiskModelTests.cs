using Analytics.Models.Modelling;
using Analytics.Models.Randomness;

namespace Analytics.Models.Tests.Modelling;

public class BoostedRiskModelTests
{
    /// <summary>
    /// Rate 50 per 100,000 where x ≤ 0 and 100 per 100,000 where x &gt; 0 (a rate ratio of 2), with
    /// populations spread over three orders of magnitude and a second, irrelevant feature.
    /// </summary>
    private static ModelDataset StepWorld(int n, ulong seed)
    {
        var random = new SeededRandom(seed);
        var rows = new List<ModelRow>();
        for (var i = 0; i < n; i++)
        {
            var x = random.NextGaussian();
            var z = random.NextGaussian();
            var population = Math.Round(random.NextLogNormal(Math.Log(5_000), 1.5)) + 50;
            var rate = x > 0 ? 100e-5 : 50e-5;
            rows.Add(new ModelRow($"T{i}", "2021", $"B{i / 25}", random.NextPoisson(population * rate), population, null, [x, z]));
        }
        return ModelDataset.Create(["x", "z"], rows);
    }

    [Fact]
    public void the_exposure_offset_lets_the_trees_recover_a_planted_rate_ratio_of_two()
    {
        // If exposure were ignored the trees would model counts, which follow population, not x. With
        // the rate label and exposure weight they model the rate: predicted rates ≈ 50 and 100 per 100,000.
        // Each half holds about 2,000 territories of mean population 5,000·e^{1.5²/2} ≈ 15,000, so about
        // 15,000 and 30,000 cases: the rates are known to about 1%; allow 10% for the trees' smoothing.
        var data = StepWorld(4_000, seed: 1);

        var model = BoostedRiskModel.Train(data);
        var predictions = model.Predict(data);

        var low = predictions.Where((_, i) => data.Rows[i].Features[0] <= 0).Average(p => p.RatePer100000);
        var high = predictions.Where((_, i) => data.Rows[i].Features[0] > 0).Average(p => p.RatePer100000);
        Assert.InRange(low, 45, 55);
        Assert.InRange(high, 90, 110);
        Assert.InRange(high / low, 1.8, 2.2);
        // Poisson leaves: the fitted total matches the observed total.
        Assert.Equal(data.Rows.Sum(r => r.Cases), predictions.Sum(p => p.Expected), data.Rows.Sum(r => r.Cases) * 0.01);
    }

    [Fact]
    public void feature_contributions_follow_the_feature_with_an_effect_and_stay_near_zero_for_the_other()
    {
        // The step in x is worth log 2 = 0.69 on the log scale. ML.NET's contribution of a split is the
        // tree output on the territory's path minus the output had the split sent it the other way, so a
        // territory well above the step gets about +log 2 and one well below about −log 2. z has no effect:
        // trees split on it only to chase noise, so its contributions should be several times smaller.
        var data = StepWorld(4_000, seed: 2);
        var model = BoostedRiskModel.Train(data);

        var explanations = model.Explain(data);

        var above = explanations.Where((_, i) => data.Rows[i].Features[0] > 0.5).Average(e => e.Contributions[0]);
        var below = explanations.Where((_, i) => data.Rows[i].Features[0] < -0.5).Average(e => e.Contributions[0]);
        Assert.InRange(above, Math.Log(2) - 0.2, Math.Log(2) + 0.2);
        Assert.InRange(below, -Math.Log(2) - 0.2, -Math.Log(2) + 0.2);
        Assert.True(explanations.Average(e => Math.Abs(e.Contributions[1])) < 0.25 * explanations.Average(e => Math.Abs(e.Contributions[0])), $"{explanations.Average(e => Math.Abs(e.Contributions[1]))} vs {explanations.Average(e => Math.Abs(e.Contributions[0]))}");
    }

    [Fact]
    public void training_twice_and_reloading_the_serialized_model_give_byte_identical_predictions_and_explanations()
    {
        var data = SimulatedTerritories.Create(side: 25, seed: 5);

        var first = BoostedRiskModel.Train(data);
        var second = BoostedRiskModel.Train(data);
        var reloaded = RiskModel.Load(first.Serialize());

        var expected = PoissonRiskModelTests.Bytes(first.Predict(data));
        Assert.Equal(expected, PoissonRiskModelTests.Bytes(second.Predict(data)));
        Assert.Equal(expected, PoissonRiskModelTests.Bytes(reloaded.Predict(data)));
        Assert.IsType<BoostedRiskModel>(reloaded);
        Assert.Equal(
            first.Explain(data).SelectMany(e => e.Contributions),
            reloaded.Explain(data).SelectMany(e => e.Contributions));
    }

    [Fact]
    public void a_poisson_model_cannot_be_loaded_as_a_boosted_one()
    {
        var bytes = PoissonRiskModel.Train(SimulatedTerritories.Create(side: 8, seed: 1)).Serialize();

        var error = Assert.Throws<ArgumentException>(() => BoostedRiskModel.Load(bytes));

        Assert.Contains("Poisson", error.Message);
    }

    [Fact]
    public void bytes_that_are_not_a_model_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => RiskModel.Load([1, 2, 3]));

        Assert.Contains("not a serialized risk model", error.Message);
    }
}
