using Analytics.Models.Modelling;

namespace Analytics.Models.Tests.Modelling;

public class PoissonRiskModelTests
{
    [Fact]
    public void on_the_british_doctors_data_mlnet_gives_the_irls_estimates_and_standard_errors_within_1e_4()
    {
        // Same model as PoissonGlmTests (Dobson & Barnett §9.2.1): the ML.NET fit with the
        // label = rate, weight = exposure trick must land on the offset model's maximum.
        var golden = GoldenFile.Read("Modelling/Golden/british_doctors_smoking.json");
        var rows = new List<ModelRow>();
        var design = new List<double[]>();
        var deaths = new List<double>();
        var offsets = new List<double>();
        var k = 0;
        foreach (var row in golden.GetProperty("rows").EnumerateArray())
        {
            double age = row.GetProperty("agecat").GetInt32();
            double smoke = row.GetProperty("smoke").GetInt32();
            double cases = row.GetProperty("deaths").GetInt32();
            double years = row.GetProperty("person_years").GetInt32();
            rows.Add(new ModelRow($"stratum {k++}", "1951-1961", "all", cases, years, null, [age, age * age, smoke, smoke * age]));
            design.Add([1, age, age * age, smoke, smoke * age]);
            deaths.Add(cases);
            offsets.Add(Math.Log(years));
        }
        string[] names = ["agecat", "agesq", "smoke", "smkage"];
        var irls = PoissonGlm.Fit(["constant", .. names], design, deaths, offsets);

        var model = PoissonRiskModel.Train(ModelDataset.Create(names, rows));

        Assert.Equal(irls.Coefficient("constant"), model.Coefficient(ModelCoefficient.InterceptName).Estimate, 1e-4);
        Assert.Equal(irls.StandardError("constant"), model.Coefficient(ModelCoefficient.InterceptName).StandardError, 1e-4);
        foreach (var name in names)
        {
            Assert.Equal(irls.Coefficient(name), model.Coefficient(name).Estimate, 1e-4);
            Assert.Equal(irls.StandardError(name), model.Coefficient(name).StandardError, 1e-4);
        }
        Assert.Equal(irls.Deviance, model.Deviance, 1e-4);
        // And the textbook's rate ratio for smoking at age 0 (exp 1.441 = 4.22).
        Assert.Equal(Math.Exp(1.440971879839), model.Coefficient("smoke").RateRatio, 1e-3);
    }

    [Fact]
    public void a_simulated_poisson_world_gives_back_its_coefficients_within_their_intervals_in_the_features_own_units()
    {
        // Known generating model (SimulatedTerritories): log μ = log(pop) − 7 + 0.04 pm25 + 0.2 deprivation + 0 noise,
        // y ~ Poisson(μ), features far from 0 and on different scales. Each 95% interval covers its truth with
        // probability 0.95; Bonferroni over the 4 coefficients (level 1 − 0.05/4 each) makes the joint check
        // fail with probability ≤ 5% for a correct fit, and this seed is fixed.
        var data = SimulatedTerritories.Create(side: 60, seed: 11);

        var model = PoissonRiskModel.Train(data);

        double[] truth = [SimulatedTerritories.Intercept, .. SimulatedTerritories.Beta];
        for (var j = 0; j < truth.Length; j++)
        {
            var (lower, upper) = model.Coefficients[j].Interval(1 - 0.05 / truth.Length);
            Assert.InRange(truth[j], lower, upper);
        }
        Assert.Equal([ModelCoefficient.InterceptName, .. SimulatedTerritories.FeatureNames], model.Coefficients.Select(c => c.Name));
        // Pure Poisson data: Pearson χ²/df near 1 (its sd is about √(2/n) ≈ 0.024 here).
        Assert.InRange(model.Dispersion, 0.9, 1.1);
    }

    [Fact]
    public void the_rate_ratio_interval_is_the_exponential_of_the_log_scale_wald_interval()
    {
        var coefficient = new ModelCoefficient("pm25", Math.Log(1.5), 0.1);

        var (lower, upper) = coefficient.RateRatioInterval();

        Assert.Equal(1.5, coefficient.RateRatio, 12);
        Assert.Equal(1.5 * Math.Exp(-1.959963984540054 * 0.1), lower, 12);
        Assert.Equal(1.5 * Math.Exp(1.959963984540054 * 0.1), upper, 12);
    }

    [Fact]
    public void expected_cases_and_contributions_follow_the_reported_coefficients_exactly()
    {
        var data = SimulatedTerritories.Create(side: 20, seed: 3);
        var model = PoissonRiskModel.Train(data);
        var mu = model.ExpectedCases(data);
        var explanations = model.Explain(data);
        var beta = model.Coefficients.Select(c => c.Estimate).ToArray();
        var means = Enumerable.Range(0, 3).Select(j => data.Rows.Average(r => r.Features[j])).ToArray();

        for (var i = 0; i < data.Count; i++)
        {
            var row = data.Rows[i];
            var eta = beta[0] + Enumerable.Range(0, 3).Sum(j => beta[j + 1] * row.Features[j]);
            Assert.Equal(Math.Log(row.Population) + eta, Math.Log(mu[i]), 1e-9);
            // βⱼ(xⱼ − x̄ⱼ) sums to log μ − log μ at the mean features.
            var atMeans = Math.Log(row.Population) + beta[0] + Enumerable.Range(0, 3).Sum(j => beta[j + 1] * means[j]);
            Assert.Equal(Math.Log(mu[i]) - atMeans, explanations[i].Contributions.Sum(), 1e-9);
            Assert.Equal(beta[2] * (row.Features[1] - means[1]), explanations[i].Contributions[1], 1e-9);
        }
    }

    [Fact]
    public void training_twice_and_reloading_the_serialized_model_give_byte_identical_predictions()
    {
        var data = SimulatedTerritories.Create(side: 25, seed: 5);

        var first = PoissonRiskModel.Train(data);
        var second = PoissonRiskModel.Train(data);
        var reloaded = RiskModel.Load(first.Serialize());

        var expected = Bytes(first.Predict(data));
        Assert.Equal(expected, Bytes(second.Predict(data)));
        Assert.Equal(expected, Bytes(reloaded.Predict(data)));
        Assert.IsType<PoissonRiskModel>(reloaded);
        Assert.Equal(first.Coefficients, ((PoissonRiskModel)reloaded).Coefficients);
    }

    [Fact]
    public void expected_cases_as_exposure_give_the_same_rate_ratios_and_sir_equal_to_mu_over_expected()
    {
        // Exposure E = population × 0.001: the offset changes by a constant, so only the intercept moves
        // (by −log 0.001) and predictions are unchanged; the SIR is then μ / E.
        var byPopulation = SimulatedTerritories.Create(side: 20, seed: 8);
        var byExpected = ModelDataset.Create(byPopulation.FeatureNames, byPopulation.Rows.Select(r => r with { ExpectedCases = r.Population * 0.001 }).ToArray());

        var a = PoissonRiskModel.Train(byPopulation);
        var b = PoissonRiskModel.Train(byExpected);

        for (var j = 1; j < a.Coefficients.Count; j++)
            Assert.Equal(a.Coefficients[j].Estimate, b.Coefficients[j].Estimate, 1e-6);
        Assert.Equal(a.Coefficients[0].Estimate - Math.Log(0.001), b.Coefficients[0].Estimate, 1e-6);
        var predictions = b.Predict(byExpected);
        for (var i = 0; i < predictions.Count; i++)
            Assert.Equal(predictions[i].Expected / (byPopulation.Rows[i].Population * 0.001), predictions[i].Sir, 12);
    }

    [Fact]
    public void a_training_weight_of_two_counts_like_the_row_written_twice()
    {
        var data = SimulatedTerritories.Create(side: 12, seed: 4);
        var weighted = ModelDataset.Create(data.FeatureNames, data.Rows.Select((r, i) => i % 3 == 0 ? r with { Weight = 2 } : r).ToArray());
        var duplicated = ModelDataset.Create(data.FeatureNames,
            [.. data.Rows, .. data.Rows.Where((_, i) => i % 3 == 0).Select(r => r with { Period = "copy" })]);

        var a = PoissonRiskModel.Train(weighted);
        var b = PoissonRiskModel.Train(duplicated);

        for (var j = 0; j < a.Coefficients.Count; j++)
        {
            Assert.Equal(b.Coefficients[j].Estimate, a.Coefficients[j].Estimate, 1e-5);
            Assert.Equal(b.Coefficients[j].StandardError, a.Coefficients[j].StandardError, 1e-5);
        }
    }

    [Fact]
    public void data_with_other_features_are_refused_by_name()
    {
        var data = SimulatedTerritories.Create(side: 8, seed: 2);
        var model = PoissonRiskModel.Train(data);
        var other = ModelDataset.Create(["pm25", "no2", "noise"], data.Rows);

        var error = Assert.Throws<ArgumentException>(() => model.ExpectedCases(other));

        Assert.Contains("no2", error.Message);
    }

    internal static byte[] Bytes(IReadOnlyList<TerritoryPrediction> predictions)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        foreach (var p in predictions)
        {
            writer.Write(p.Expected);
            writer.Write(p.RatePer100000);
            writer.Write(p.Sir);
            writer.Write(p.Lower);
            writer.Write(p.Upper);
        }
        writer.Flush();
        return stream.ToArray();
    }
}
