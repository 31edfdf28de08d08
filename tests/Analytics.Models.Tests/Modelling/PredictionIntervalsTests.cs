using Analytics.Models.Modelling;

namespace Analytics.Models.Tests.Modelling;

public class PredictionIntervalsTests
{
    [Fact]
    public void a_poisson_count_of_mean_ten_has_the_90_percent_interval_5_to_15()
    {
        // R: qpois(c(0.05, 0.95), 10) = 5, 15 — P(Y ≤ 4) = 0.0293 < 0.05 ≤ P(Y ≤ 5) = 0.0671 and
        // P(Y ≤ 14) = 0.9165 < 0.95 ≤ P(Y ≤ 15) = 0.9513.
        Assert.Equal((5L, 15L), PredictionIntervals.Count(10, 10));
    }

    [Fact]
    public void an_overdispersed_count_uses_the_negative_binomial_with_matching_mean_and_variance()
    {
        // Mean 10, variance 60 → size r = μ²/(V − μ) = 2, p = r/(r + μ) = 1/6. The quantiles by summing the
        // probability function P(0) = p^r, P(k + 1) = P(k)·(k + r)/(k + 1)·(1 − p), independently of MathNet.
        const double r = 2, p = 1.0 / 6;
        long lower = -1, upper = -1;
        var pmf = Math.Pow(p, r);
        var cdf = pmf;
        for (var k = 0; upper < 0; k++)
        {
            if (lower < 0 && cdf >= 0.05)
                lower = k;
            if (cdf >= 0.95)
                upper = k;
            pmf *= (k + r) / (k + 1) * (1 - p);
            cdf += pmf;
        }

        Assert.Equal((lower, upper), PredictionIntervals.Count(10, 60));
        Assert.Equal(1, lower); // P(0) = 1/36 < 0.05 ≤ P(0) + P(1) = 1/36 + 2·(1/36)·(5/6)
    }

    [Fact]
    public void a_zero_mean_gives_the_interval_zero_to_zero()
    {
        Assert.Equal((0L, 0L), PredictionIntervals.Count(0, 0));
    }

    [Fact]
    public void poisson_model_intervals_cover_about_90_percent_of_new_counts_from_the_same_model()
    {
        // Train on one simulated region, then predict the counts of another region drawn from the same
        // generating model (new territories, new counts). With 3,600 territories the coverage of a
        // correct 90% interval has sd √(0.9·0.1/3600) = 0.005; discreteness adds a little on top
        // (P(lower ≤ Y ≤ upper) ≥ 0.90 for a count), kept small by territories of about 40 expected
        // cases (median population 30,000). Accept 0.88–0.94.
        var training = SimulatedTerritories.Create(side: 60, seed: 21, medianPopulation: 30_000);
        var fresh = SimulatedTerritories.Create(side: 60, seed: 22, medianPopulation: 30_000);
        var model = PoissonRiskModel.Train(training);

        var predictions = model.Predict(fresh);

        var covered = predictions.Count(p => p.Observed >= p.Lower && p.Observed <= p.Upper) / (double)predictions.Count;
        Assert.InRange(covered, 0.88, 0.94);
    }

    [Fact]
    public void with_extra_poisson_variation_the_dispersion_widens_the_intervals_back_to_about_90_percent()
    {
        // Territory effects u ~ N(0, 0.3²) on the log scale: counts vary more than Poisson. The Pearson
        // dispersion of the fit feeds the negative binomial intervals. The variance of Y given x is
        // μ + μ²(e^{0.09} − 1), quadratic in μ, while φμ is linear: the intervals are right on average over
        // territories, not for every size, so the accepted band is wider (0.86–0.95) than in the Poisson case.
        var training = SimulatedTerritories.Create(side: 60, seed: 31, extraPoissonSd: 0.3, medianPopulation: 30_000);
        var fresh = SimulatedTerritories.Create(side: 60, seed: 32, extraPoissonSd: 0.3, medianPopulation: 30_000);
        var model = PoissonRiskModel.Train(training);

        var predictions = model.Predict(fresh);
        var poissonOnly = model.Predict(fresh, new PredictionSettings(Dispersion: 1));

        double Coverage(IReadOnlyList<TerritoryPrediction> ps) => ps.Count(p => p.Observed >= p.Lower && p.Observed <= p.Upper) / (double)ps.Count;
        // E[φ] ≈ 1 + mean μ × (e^{0.09} − 1), several times 1 with about 40 expected cases per territory.
        Assert.True(model.Dispersion > 2, $"dispersion {model.Dispersion}");
        Assert.InRange(Coverage(predictions), 0.86, 0.95);
        Assert.True(Coverage(poissonOnly) < 0.8, $"Poisson-only coverage {Coverage(poissonOnly)}");
    }
}
