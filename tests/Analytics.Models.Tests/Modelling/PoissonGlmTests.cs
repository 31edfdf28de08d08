using System.Runtime.CompilerServices;
using System.Text.Json;
using Analytics.Models.Modelling;

namespace Analytics.Models.Tests.Modelling;

public class PoissonGlmTests
{
    [Fact]
    public void a_two_group_rate_ratio_matches_the_hand_computed_estimate_and_standard_errors()
    {
        // Hand computation: with an intercept and one group indicator the model is saturated per
        // group, so exp(b0) = 30 / 1000 (group A's rate), exp(b1) = (60 / 1500) / (30 / 1000) = 4/3,
        // and the Fisher information gives SE(b0) = 1/√30, SE(b1) = √(1/30 + 1/60).
        // Each group is split over two rows so the fit has to pool them.
        double[][] design = [[1, 0], [1, 0], [1, 1], [1, 1]];
        double[] cases = [10, 20, 25, 35];
        double[] exposure = [300, 700, 500, 1000];

        var fit = PoissonGlm.Fit(["intercept", "group_b"], design, cases, exposure.Select(e => Math.Log(e)).ToArray());

        Assert.True(fit.Converged);
        Assert.Equal(Math.Log(0.03), fit.Coefficient("intercept"), 9);
        Assert.Equal(Math.Log(4.0 / 3.0), fit.Coefficient("group_b"), 9);
        Assert.Equal(1 / Math.Sqrt(30), fit.StandardError("intercept"), 9);
        Assert.Equal(Math.Sqrt(1.0 / 30 + 1.0 / 60), fit.StandardError("group_b"), 9);
        var (lower, upper) = fit.ConfidenceInterval95("group_b");
        Assert.Equal(Math.Log(4.0 / 3.0) - 1.959963984540054 * Math.Sqrt(1.0 / 30 + 1.0 / 60), lower, 9);
        Assert.Equal(Math.Log(4.0 / 3.0) + 1.959963984540054 * Math.Sqrt(1.0 / 30 + 1.0 / 60), upper, 9);
    }

    [Fact]
    public void the_british_doctors_smoking_model_reproduces_the_textbook_estimates()
    {
        var golden = JsonDocument.Parse(File.ReadAllText(GoldenFile("british_doctors_smoking.json"))).RootElement;
        var names = golden.GetProperty("covariates").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var design = new List<double[]>();
        var deaths = new List<double>();
        var offsets = new List<double>();
        foreach (var row in golden.GetProperty("rows").EnumerateArray())
        {
            double age = row.GetProperty("agecat").GetInt32();
            double smoke = row.GetProperty("smoke").GetInt32();
            design.Add([1, age, age * age, smoke, smoke * age]);
            deaths.Add(row.GetProperty("deaths").GetInt32());
            offsets.Add(Math.Log(row.GetProperty("person_years").GetInt32()));
        }

        var fit = PoissonGlm.Fit(names, design, deaths, offsets);

        var expected = golden.GetProperty("expected");
        var coefficients = expected.GetProperty("coefficients").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var errors = expected.GetProperty("standard_errors").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (var j = 0; j < names.Length; j++)
        {
            Assert.Equal(coefficients[j], fit.Coefficient(names[j]), 8);
            Assert.Equal(errors[j], fit.StandardError(names[j]), 8);
        }
        Assert.Equal(expected.GetProperty("deviance").GetDouble(), fit.Deviance, 8);
    }

    [Fact]
    public void a_frequency_weight_of_two_fits_like_the_row_written_twice()
    {
        double[][] design = [[1, 0.5], [1, 1.5], [1, 2.5], [1, 3.5]];
        double[] cases = [3, 7, 4, 12];
        double[] offsets = [0.1, 0.2, 0.3, 0.4];

        var weighted = PoissonGlm.Fit(["intercept", "x"], design, cases, offsets, weights: [1, 2, 1, 1]);
        var duplicated = PoissonGlm.Fit(["intercept", "x"], [.. design, design[1]], [.. cases, cases[1]], [.. offsets, offsets[1]]);

        Assert.Equal(duplicated.Coefficient("x"), weighted.Coefficient("x"), 10);
        Assert.Equal(duplicated.StandardError("x"), weighted.StandardError("x"), 10);
    }

    [Fact]
    public void a_covariate_that_never_varies_is_named_as_collinear()
    {
        double[][] design = [[1, 2], [1, 2], [1, 2]];

        var error = Assert.Throws<ArgumentException>(() => PoissonGlm.Fit(["intercept", "constant_two"], design, [1, 2, 3]));

        Assert.Contains("constant_two", error.Message);
    }

    private static string GoldenFile(string name, [CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Golden", name);
}

public class StandardNormalTests
{
    [Theory]
    // Expected values: scipy.stats.norm.ppf (SciPy 1.10), i.e. Wichura's AS241 to double precision.
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.995, 2.5758293035489004)]
    [InlineData(0.9977272727272727, 2.8375969129437872)]
    [InlineData(0.01, -2.3263478740408408)]
    [InlineData(0.5, 0.0)]
    [InlineData(1e-6, -4.753424308822899)]
    public void the_normal_quantile_matches_reference_values_within_1e_8(double p, double expected)
    {
        Assert.Equal(expected, Analytics.Models.Modelling.StandardNormal.Quantile(p), 1e-8);
    }
}
