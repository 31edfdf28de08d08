using Analytics.Models.Epidemiology;
using MathNet.Numerics.Distributions;

namespace Analytics.Models.Tests.Epidemiology;

public class PoissonGammaModelTests
{
    [Fact]
    public void the_scottish_lip_cancer_prior_matches_the_negative_binomial_fit_of_r_and_scipy()
    {
        var golden = ScotlandLipCancer.Expected.GetProperty("poisson_gamma");

        var model = PoissonGammaModel.Fit(ScotlandLipCancer.Observed, ScotlandLipCancer.ExpectedCases);

        // glm.nb and SciPy agree to 5e-9 relative; ask for 1e-7.
        Assert.Equal(golden.GetProperty("shape").GetDouble(), model.Shape, 1e-7 * model.Shape);
        Assert.Equal(golden.GetProperty("prior_mean").GetDouble(), model.PriorMean, 1e-7 * model.PriorMean);
    }

    [Fact]
    public void posterior_means_and_exceedance_probabilities_match_spatialepi_style_estimates()
    {
        var golden = ScotlandLipCancer.Expected.GetProperty("poisson_gamma");
        var means = golden.GetProperty("posterior_mean").Doubles();
        var exceedance = golden.GetProperty("probability_rr_above_1").Doubles();
        var observed = ScotlandLipCancer.Observed;
        var expected = ScotlandLipCancer.ExpectedCases;

        var model = PoissonGammaModel.Fit(observed, expected);

        for (var i = 0; i < observed.Length; i++)
        {
            var posterior = model.Posterior(observed[i], expected[i]);
            Assert.Equal(means[i], posterior.Mean, 1e-6 * means[i]);
            Assert.Equal(exceedance[i], posterior.ProbabilityAbove(1), 1e-6);
        }
    }

    [Fact]
    public void small_expected_counts_are_shrunk_more_than_large_ones()
    {
        var model = PoissonGammaModel.Fit(ScotlandLipCancer.Observed, ScotlandLipCancer.ExpectedCases);

        // Skye-Lochalsh: SMR 9/1.4 = 6.4; Glasgow (district 49): 28/88.7 = 0.32. The prior mean is 1.42.
        var skye = model.Posterior(9, 1.4);
        var glasgow = model.Posterior(28, 88.7);

        Assert.InRange(skye.Mean, model.PriorMean, 9 / 1.4);
        Assert.InRange(glasgow.Mean, 28 / 88.7, model.PriorMean);
        // Share of the way from the SMR to the prior mean: β/(β + E), larger for the smaller E.
        var skyeShrinkage = (9 / 1.4 - skye.Mean) / (9 / 1.4 - model.PriorMean);
        var glasgowShrinkage = (28 / 88.7 - glasgow.Mean) / (28 / 88.7 - model.PriorMean);
        Assert.Equal(model.Rate / (model.Rate + 1.4), skyeShrinkage, 12);
        Assert.True(skyeShrinkage > 10 * glasgowShrinkage);
    }

    [Fact]
    public void counts_without_extra_poisson_variation_give_a_point_prior_at_the_overall_ratio()
    {
        // Every area observes exactly its expected count: the marginal likelihood keeps rising with α.
        long[] observed = [5, 10, 20, 40];
        double[] expected = [5, 10, 20, 40];

        var model = PoissonGammaModel.Fit(observed, expected);

        Assert.True(model.Shape > 1e6);
        Assert.Equal(1, model.PriorMean, 1e-6);
        Assert.Equal(1, model.Posterior(5, 5).Mean, 1e-5);
    }

    [Fact]
    public void the_posterior_is_the_conjugate_gamma()
    {
        // Gamma(α, β) prior and Poisson(Eθ) data give Gamma(α + O, β + E) (Clayton & Kaldor 1987, §2).
        var model = new PoissonGammaModel(2, 1.5);

        var posterior = model.Posterior(7, 3.2);

        Assert.Equal(9, posterior.Shape);
        Assert.Equal(4.7, posterior.Rate, 14);
        Assert.Equal(1 - Gamma.CDF(9, 4.7, 1.5), posterior.ProbabilityAbove(1.5), 14);
        var interval = posterior.CredibleInterval();
        Assert.Equal(0.025, Gamma.CDF(9, 4.7, interval.Lower), 10);
        Assert.Equal(0.975, Gamma.CDF(9, 4.7, interval.Upper), 10);
    }
}
