using Analytics.Models.Spatial;
using Analytics.Models.Tests.Epidemiology;
using MathNet.Numerics.Distributions;

namespace Analytics.Models.Tests.Spatial;

public class MoranITests
{
    [Fact]
    public void moran_on_a_line_matches_the_hand_computation()
    {
        // Hand computation, binary weights: z = (−1.5, −0.5, 0.5, 1.5), Σz² = 5,
        // Σᵢⱼ wᵢⱼzᵢzⱼ = 2(0.75 − 0.25 + 0.75) = 2.5, so I = (4/6)(2.5/5) = 1/3; E[I] = −1/3.
        // Var_N = (n²S1 − nS2 + 3S0²)/((n² − 1)S0²) − E² = (192 − 160 + 108)/540 − 1/9 = 4/27.
        // Var_R: b2 = nΣz⁴/(Σz²)² = 1.64; [n((n² − 3n + 3)S1 − nS2 + 3S0²) − b2((n² − n)S1 − 2nS2 + 6S0²)]
        // / ((n − 1)(n − 2)(n − 3)S0²) − E² = (128 − 65.6)/216 − 1/9 = 8/45.
        var result = MoranI.Global(Line.Values, Line.Weights(WeightStyle.Binary), permutations: 0);

        Assert.Equal(1.0 / 3, result.I, 14);
        Assert.Equal(-1.0 / 3, result.Expected, 14);
        Assert.Equal(4.0 / 27, result.VarianceNormality, 14);
        Assert.Equal(8.0 / 45, result.VarianceRandomisation, 14);
        Assert.Null(result.Permutation);
    }

    [Fact]
    public void the_permutation_p_value_on_a_line_approaches_the_exact_one_twelfth()
    {
        // Enumerating the 24 orderings of 1..4 on the line: only the sorted one and its reverse reach
        // I = 1/3, so P(I ≥ observed) = 2/24 exactly. With 9,999 permutations the pseudo p-value has a
        // Monte Carlo standard error of √(p(1 − p)/R) ≈ 0.0028; allow 4 of them.
        var result = MoranI.Global(Line.Values, Line.Weights(WeightStyle.Binary), permutations: 9_999, seed: 42);

        Assert.Equal(1.0 / 12, result.Permutation!.PseudoPValue, 0.011);
    }

    [Fact]
    public void the_same_seed_gives_the_same_pseudo_p_value()
    {
        var w = NorthCarolinaSids.Queen(WeightStyle.RowStandardised);

        var first = MoranI.Global(NorthCarolinaSids.Rate74, w, permutations: 199, seed: 7);
        var second = MoranI.Global(NorthCarolinaSids.Rate74, w, permutations: 199, seed: 7);

        Assert.Equal(first.Permutation, second.Permutation);
    }

    [Fact]
    public void north_carolina_sids_rates_match_spdep_moran_test()
    {
        var expected = NorthCarolinaSids.Spdep.GetProperty("moran_rate74_W");

        var result = MoranI.Global(NorthCarolinaSids.Rate74, NorthCarolinaSids.Queen(WeightStyle.RowStandardised), permutations: 999);

        Assert.Equal(expected.GetProperty("i").GetDouble(), result.I, 1e-12);
        Assert.Equal(expected.GetProperty("expected").GetDouble(), result.Expected, 1e-14);
        Assert.Equal(expected.GetProperty("variance_randomisation").GetDouble(), result.VarianceRandomisation, 1e-14);
        Assert.Equal(expected.GetProperty("variance_normality").GetDouble(), result.VarianceNormality, 1e-14);
        Assert.Equal(expected.GetProperty("z_randomisation").GetDouble(), result.ZRandomisation, 1e-10);
        Assert.Equal(expected.GetProperty("p_randomisation_two_sided").GetDouble(), result.PValueRandomisation, 1e-12);
        Assert.Equal(expected.GetProperty("p_normality_two_sided").GetDouble(), result.PValueNormality, 1e-12);
        // Analytic p ≈ 0.0002: a 999-permutation test should put I beyond almost every permuted value.
        Assert.InRange(result.Permutation!.PseudoPValue, 0.001, 0.01);
    }

    [Fact]
    public void binary_weights_match_spdep_too()
    {
        var expected = NorthCarolinaSids.Spdep.GetProperty("moran_rate74_B");

        var result = MoranI.Global(NorthCarolinaSids.Rate74, NorthCarolinaSids.Queen(WeightStyle.Binary), permutations: 0);

        Assert.Equal(expected.GetProperty("i").GetDouble(), result.I, 1e-12);
        Assert.Equal(expected.GetProperty("variance_randomisation").GetDouble(), result.VarianceRandomisation, 1e-14);
    }

    [Fact]
    public void the_geoda_sids_example_reproduces_the_published_pysal_values()
    {
        var published = NorthCarolinaSids.Expected.GetProperty("published_esda_moran_sidr74");

        var result = MoranI.Global(NorthCarolinaSids.GeoDaRate74, NorthCarolinaSids.GeoDaContiguity(WeightStyle.RowStandardised), permutations: 0);

        Assert.Equal(published.GetProperty("i_3dp").GetDouble(), Math.Round(result.I, 3));
        Assert.Equal(published.GetProperty("p_normality_two_sided").GetDouble(), result.PValueNormality, 1e-13);
    }

    [Fact]
    public void the_empirical_bayes_index_reproduces_the_published_pysal_moran_rate_example()
    {
        var published = NorthCarolinaSids.Expected.GetProperty("published_esda_moran_rate_sid79");

        var result = MoranI.EmpiricalBayes(NorthCarolinaSids.Deaths79, NorthCarolinaSids.Births79, NorthCarolinaSids.GeoDaContiguity(WeightStyle.RowStandardised), permutations: 0);

        Assert.Equal(published.GetProperty("i_4dp").GetDouble(), Math.Round(result.I, 4));
        var oneSided = 1 - Normal.CDF(0, 1, result.ZNormality);
        Assert.Equal(published.GetProperty("p_normality_one_sided_4dp").GetDouble(), Math.Round(oneSided, 4));
    }

    [Theory]
    [InlineData(WeightStyle.Binary, "ebimoran_B")]
    [InlineData(WeightStyle.RowStandardised, "ebimoran_W")]
    public void the_empirical_bayes_index_matches_spdep_ebimoran(WeightStyle style, string key)
    {
        var expected = NorthCarolinaSids.Spdep.GetProperty(key).GetDouble();

        var result = MoranI.EmpiricalBayes(NorthCarolinaSids.Deaths74, NorthCarolinaSids.Births74, NorthCarolinaSids.Queen(style), permutations: 99);

        Assert.Equal(expected, result.I, 1e-12);
        Assert.InRange(result.Permutation!.PseudoPValue, 0.01, 0.03); // spdep's 999 permutations gave 0.001–0.002
    }

    [Fact]
    public void scottish_islands_are_left_out_and_reported()
    {
        var expected = ScotlandLipCancer.Expected.GetProperty("moran_smr_connected");
        var smr = ScotlandLipCancer.Observed.Zip(ScotlandLipCancer.ExpectedCases, (o, e) => o / e).ToArray();

        var result = MoranI.Global(smr, ScotlandLipCancer.Weights(WeightStyle.RowStandardised), permutations: 0);

        Assert.Equal([5, 7, 10], result.Islands);
        Assert.Equal(53, result.AreaCount);
        Assert.Equal(expected.GetProperty("i").GetDouble(), result.I, 1e-12);
        Assert.Equal(expected.GetProperty("expected").GetDouble(), result.Expected, 1e-14);
        Assert.Equal(expected.GetProperty("variance_randomisation").GetDouble(), result.VarianceRandomisation, 1e-14);
        Assert.Equal(expected.GetProperty("variance_normality").GetDouble(), result.VarianceNormality, 1e-14);
    }

    [Fact]
    public void values_that_do_not_vary_are_refused()
    {
        Assert.Throws<ArgumentException>(() => MoranI.Global([3, 3, 3, 3], Line.Weights(WeightStyle.Binary)));
    }
}
