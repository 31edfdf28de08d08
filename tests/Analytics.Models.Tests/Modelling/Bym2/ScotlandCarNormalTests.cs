using Analytics.Models.Modelling.Bym2;
using Analytics.Models.Tests.Epidemiology;
using Xunit.Abstractions;

namespace Analytics.Models.Tests.Modelling.Bym2;

/// <summary>
/// The intrinsic CAR model of GeoBUGS's Scotland example, fitted by the Laplace approximation and
/// compared with the example's published MCMC posterior.
/// </summary>
/// <remarks>
/// Source: GeoBUGS User Manual, Examples, "Conditional Autoregressive (CAR) models for disease mapping:
/// Lip cancer in Scotland" (Thomas, Best, Lunn, Arnold &amp; Spiegelhalter; as distributed with
/// MultiBUGS, <c>GeoBUGS/Examples/Scotland.odc</c>): Oᵢ ~ Poisson(μᵢ), log μᵢ = log Eᵢ + α₀ + α₁ AFFᵢ/10 + bᵢ,
/// b ~ car.normal(adj, weights = 1, num, τ) with the three islands' bᵢ = 0, α₀ ~ dflat(),
/// α₁ ~ dnorm(0, 10⁻⁵), τ ~ dgamma(0.5, 0.0005), σ = 1/√τ. Published posterior (20,000 iterations after
/// 1,000 of burn-in): α₀ mean −0.3006 (sd 0.1155), α₁ 0.4474 (sd 0.1204), σ 0.6664 (sd 0.1198).
/// Data: the golden of <see cref="ScotlandLipCancer"/> (expected cases to one decimal, as in GeoBUGS).
/// </remarks>
public class ScotlandCarNormalTests(ITestOutputHelper output)
{
    [Fact]
    public void the_car_normal_posterior_means_agree_with_the_published_geobugs_example_within_two_posterior_sds()
    {
        var graph = AreaGraph.Create(
            [.. Enumerable.Range(1, 56).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            [.. ScotlandLipCancer.Neighbours.Select(n => (IReadOnlyList<int>)n)]);
        var (observed, expected, aff) = (ScotlandLipCancer.Observed, ScotlandLipCancer.ExpectedCases, ScotlandLipCancer.AffPercent);
        var rows = Enumerable.Range(0, 56).Select(i => new LatentRow(i, observed[i], Math.Log(expected[i]), [1, aff[i] / 10])).ToArray();

        var posterior = LaplaceApproximation.Fit(new IcarField(graph, shape: 0.5, rate: 0.0005), rows,
            new LaplaceSettings([0, 1e-5]));

        var alpha0 = (Mean: posterior.FixedMean[0], Sd: Math.Sqrt(posterior.FixedCovariance[0, 0]));
        var alpha1 = (Mean: posterior.FixedMean[1], Sd: Math.Sqrt(posterior.FixedCovariance[1, 1]));
        var sigma = posterior.Hyperparameter("sigma");
        output.WriteLine($"alpha0 {alpha0.Mean:F4} ({alpha0.Sd:F4})  published -0.3006 (0.1155)");
        output.WriteLine($"alpha1 {alpha1.Mean:F4} ({alpha1.Sd:F4})  published 0.4474 (0.1204)");
        output.WriteLine($"sigma  {sigma.Mean:F4} ({sigma.StandardDeviation:F4})  published 0.6664 (0.1198); integration points {posterior.IntegrationPoints}");

        Assert.InRange(alpha0.Mean, -0.3006 - 2 * 0.1155, -0.3006 + 2 * 0.1155);
        Assert.InRange(alpha1.Mean, 0.4474 - 2 * 0.1204, 0.4474 + 2 * 0.1204);
        Assert.InRange(sigma.Mean, 0.6664 - 2 * 0.1198, 0.6664 + 2 * 0.1198);
        // The islands carry no effect; the spatial effects sum to zero (GeoBUGS's b.mean = 0).
        Assert.All(new[] { 5, 7, 10 }, i => Assert.Equal(0, posterior.EffectMean[i]));
        Assert.Equal(0, posterior.EffectMean.Sum(), 8);
    }
}
