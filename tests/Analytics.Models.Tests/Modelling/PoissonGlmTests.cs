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
        var (golden, names, design, deaths, offsets) = BritishDoctors();

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
    public void the_british_doctors_fit_statistics_match_rs_summary_and_an_independent_computation()
    {
        var (golden, names, design, deaths, offsets) = BritishDoctors();
        var r = golden.GetProperty("r_summary");
        // Intercept only with the offset: μᵢ = PYᵢ ΣD/ΣPY in closed form (the fitted total equals the observed one).
        var rate = deaths.Sum() / offsets.Sum(Math.Exp);
        var nullDeviance = deaths.Select((y, i) => 2 * (y * Math.Log(y / (rate * Math.Exp(offsets[i]))) - (y - rate * Math.Exp(offsets[i])))).Sum();
        // Pearson χ² at the book's estimates, μᵢ = PYᵢ exp(xᵢβ), without the fitting code.
        var beta = golden.GetProperty("expected").GetProperty("coefficients").Doubles();
        var pearson = deaths.Select((y, i) =>
        {
            var mu = Math.Exp(offsets[i] + design[i].Select((x, j) => x * beta[j]).Sum());
            return (y - mu) * (y - mu) / mu;
        }).Sum();

        var fit = PoissonGlm.Fit(names, design, deaths, offsets);

        Assert.Equal(nullDeviance, fit.NullDeviance, 1e-9);
        Assert.Equal(r.GetProperty("null_deviance").GetDouble(), Math.Round(fit.NullDeviance, 4));
        Assert.Equal(r.GetProperty("residual_deviance").GetDouble(), Math.Round(fit.Deviance, 4));
        Assert.Equal(r.GetProperty("null_df").GetDouble(), fit.NullDegreesOfFreedom);
        Assert.Equal(r.GetProperty("residual_df").GetDouble(), fit.ResidualDegreesOfFreedom);
        Assert.Equal(pearson, fit.PearsonChiSquare, 1e-8);
        Assert.Equal(r.GetProperty("pearson_chi_square").GetDouble(), Math.Round(fit.PearsonChiSquare, 6));
        Assert.Equal(pearson / 5, fit.Dispersion, 1e-8);
    }

    [Fact]
    public void an_intercept_only_model_has_n_minus_one_degrees_of_freedom_and_its_dispersion_by_hand()
    {
        // Hand computation: O = (2, 4, 9), E = (1, 2, 3), offset log E. The estimate is ΣO/ΣE = 2.5, so μ = (2.5, 5, 7.5);
        // Pearson χ² = 0.25/2.5 + 1/5 + 2.25/7.5 = 0.1 + 0.2 + 0.3 = 0.6 on 3 − 1 = 2 df: φ = 0.3. The model is its own
        // null model: both deviances are 2Σ O log(O/μ) = 2(2 log 0.8 + 4 log 0.8 + 9 log 1.2), Σ(O − μ) being 0.
        double[] expected = [1, 2, 3];

        var fit = PoissonGlm.Fit(["intercept"], [[1], [1], [1]], [2, 4, 9], expected.Select(e => Math.Log(e)).ToArray());

        var deviance = 2 * (6 * Math.Log(0.8) + 9 * Math.Log(1.2));
        Assert.Equal(Math.Log(2.5), fit.Coefficient("intercept"), 1e-10);
        Assert.Equal(0.6, fit.PearsonChiSquare, 1e-10);
        Assert.Equal((2.0, 2.0), (fit.NullDegreesOfFreedom, fit.ResidualDegreesOfFreedom));
        Assert.Equal(0.3, fit.Dispersion, 1e-10);
        Assert.Equal(deviance, fit.Deviance, 1e-10);
        Assert.Equal(deviance, fit.NullDeviance, 1e-10);
    }

    [Fact]
    public void without_an_intercept_the_null_model_is_the_offset_alone_on_n_degrees_of_freedom()
    {
        // As R's glm: μ = E, so the null deviance is 2Σ[O log(O/E) − (O − E)] = 2(2 log 2 + 4 log 2 + 9 log 3 − 9), on 3 df.
        double[] expected = [1, 2, 3];

        var fit = PoissonGlm.Fit(["x"], [[0.5], [1], [2]], [2, 4, 9], expected.Select(e => Math.Log(e)).ToArray());

        Assert.Equal(2 * (6 * Math.Log(2) + 9 * Math.Log(3) - 9), fit.NullDeviance, 1e-10);
        Assert.Equal((3.0, 2.0), (fit.NullDegreesOfFreedom, fit.ResidualDegreesOfFreedom));
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
        Assert.Equal(duplicated.ResidualDegreesOfFreedom, weighted.ResidualDegreesOfFreedom);
        Assert.Equal(duplicated.NullDeviance, weighted.NullDeviance, 10);
        Assert.Equal(duplicated.Dispersion, weighted.Dispersion, 10);
    }

    [Fact]
    public void a_covariate_that_never_varies_is_named_as_collinear()
    {
        double[][] design = [[1, 2], [1, 2], [1, 2]];

        var error = Assert.Throws<ArgumentException>(() => PoissonGlm.Fit(["intercept", "constant_two"], design, [1, 2, 3]));

        Assert.Contains("constant_two", error.Message);
    }

    /// <summary>Dobson &amp; Barnett's model of the British doctors' coronary deaths, from the golden file.</summary>
    private static (JsonElement Golden, string[] Names, List<double[]> Design, List<double> Deaths, List<double> Offsets) BritishDoctors()
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
        return (golden, names, design, deaths, offsets);
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
