using Analytics.Models.Spatial;
using Analytics.Models.Tests.Epidemiology;

namespace Analytics.Models.Tests.Spatial;

/// <summary>
/// The three island conventions, checked on the line 0 – 1 – 2 – 3 with an island (area 4) worked by hand, and on
/// the Scottish districts (3 islands) against spdep's formulas written afresh on a dense weight matrix.
/// </summary>
public class IslandConventionTests
{
    // The line's values 1..4, and 2 on the island.
    private static readonly double[] Values = [1, 2, 3, 4, 2];

    private static SpatialWeights LineWithIsland(WeightStyle style) => SpatialWeights.FromNeighbours([[1], [0, 2], [1, 3], [2], []], style);

    [Fact]
    public void moran_on_a_line_with_an_island_matches_the_hand_computation_under_each_convention()
    {
        // Binary weights: S0 = 6, S1 = ½·6·2² = 12, S2 = Σ(2kᵢ)² = 4 + 16 + 16 + 4 + 0 = 40.
        // Exclude: the island is not there, so the line's own values (MoranITests): I = 1/3, E = −1/3,
        // Var_N = 4/27, Var_R = 8/45.
        // Zero policy: mean over the 5 areas 2.4, z = (−1.4, −0.4, 0.6, 1.6 | −0.4), Σz² = 5.2, Σz⁴ = 10.576,
        // Σᵢⱼ wᵢⱼzᵢzⱼ = 2(0.56 − 0.24 + 0.96) = 2.56 (the island's lag is 0), kurtosis K = 5 × 10.576 / 5.2².
        //   n = 5: I = (5/6)(2.56/5.2) = 16/39, E = −1/4,
        //   Var_N = (25·12 − 5·40 + 3·36)/(24·36) − 1/16 = 208/864 − 1/16 = 77/432,
        //   Var_R = [5((25 − 15 + 3)·12 − 5·40 + 108) − K((25 − 5)·12 − 10·40 + 216)]/(4·3·2·36) − 1/16 = (320 − 56K)/864 − 1/16.
        //   adjust.n, n = 4 (K keeps 5, as spdep's): I = (4/6)(2.56/5.2) = 64/195, E = −1/3, Var_N = 4/27,
        //   Var_R = [4((16 − 12 + 3)·12 − 4·40 + 108) − K((16 − 4)·12 − 8·40 + 216)]/(3·2·1·36) − 1/9 = (128 − 40K)/216 − 1/9.
        var w = LineWithIsland(WeightStyle.Binary);
        var k = 5 * 10.576 / (5.2 * 5.2);

        var exclude = MoranI.Global(Values, w, permutations: 0);
        var zero = MoranI.Global(Values, w, permutations: 0, islands: IslandConvention.ZeroPolicy);
        var adjusted = MoranI.Global(Values, w, permutations: 0, islands: IslandConvention.ZeroPolicyAdjustN);

        AssertMoments(exclude, 1.0 / 3, -1.0 / 3, 4.0 / 27, 8.0 / 45);
        AssertMoments(zero, 16.0 / 39, -1.0 / 4, 77.0 / 432, (320 - 56 * k) / 864 - 1.0 / 16);
        AssertMoments(adjusted, 64.0 / 195, -1.0 / 3, 4.0 / 27, (128 - 40 * k) / 216 - 1.0 / 9);
        Assert.Equal((4, 5, 4), (exclude.AreaCount, zero.AreaCount, adjusted.AreaCount));
        Assert.Equal(
            [IslandConvention.Exclude, IslandConvention.ZeroPolicy, IslandConvention.ZeroPolicyAdjustN],
            [exclude.IslandConvention, zero.IslandConvention, adjusted.IslandConvention]);
        Assert.All([exclude, zero, adjusted], r => Assert.Equal([4], r.Islands));
    }

    [Fact]
    public void zero_policy_permutations_shuffle_the_islands_value_with_the_others()
    {
        // Enumerating the 120 placements of the five values: 4 reach the observed cross-product, so the exact
        // P(I ≥ observed) is 1/30 (excluding the island it would be 2/24 = 1/12, MoranITests). With 9,999
        // permutations the Monte Carlo standard error is √(p(1 − p)/R) ≈ 0.0018; allow 4 of them.
        var exact = ExactPermutationPValue(Values, [(0, 1), (1, 2), (2, 3)]);

        var result = MoranI.Global(Values, LineWithIsland(WeightStyle.Binary), permutations: 9_999, seed: 42, islands: IslandConvention.ZeroPolicy);

        Assert.Equal(1.0 / 30, exact, 15);
        Assert.Equal(exact, result.Permutation!.PseudoPValue, 0.0072);
    }

    [Theory]
    [InlineData(IslandConvention.Exclude, 53)]
    [InlineData(IslandConvention.ZeroPolicy, 56)]
    [InlineData(IslandConvention.ZeroPolicyAdjustN, 53)]
    public void scottish_districts_moran_matches_a_dense_recomputation_of_spdeps_formulas(IslandConvention convention, int n)
    {
        var smr = ScotlandLipCancer.Observed.Zip(ScotlandLipCancer.ExpectedCases, (o, e) => o / e).ToArray();
        var dense = DenseMoran(smr, ScotlandLipCancer.Neighbours, convention);

        var result = MoranI.Global(smr, ScotlandLipCancer.Weights(WeightStyle.RowStandardised), permutations: 0, islands: convention);

        Assert.Equal(n, result.AreaCount);
        Assert.Equal(convention, result.IslandConvention);
        Assert.Equal([5, 7, 10], result.Islands);
        AssertMoments(result, dense.I, dense.Expected, dense.VarianceNormality, dense.VarianceRandomisation, 1e-12);
    }

    [Fact]
    public void on_the_scottish_districts_the_conventions_differ_as_spdep_defines_them()
    {
        var smr = ScotlandLipCancer.Observed.Zip(ScotlandLipCancer.ExpectedCases, (o, e) => o / e).ToArray();
        var w = ScotlandLipCancer.Weights(WeightStyle.RowStandardised);

        var exclude = MoranI.Global(smr, w, permutations: 0);
        var zero = MoranI.Global(smr, w, permutations: 0, islands: IslandConvention.ZeroPolicy);
        var adjusted = MoranI.Global(smr, w, permutations: 0, islands: IslandConvention.ZeroPolicyAdjustN);

        // Same centred values, so adjust.n only rescales I by n: 53/56; E[I] is −1/(n − 1).
        Assert.Equal(zero.I * 53 / 56, adjusted.I, 14);
        Assert.Equal((-1.0 / 52, -1.0 / 55, -1.0 / 52), (exclude.Expected, zero.Expected, adjusted.Expected));
        // The islands' SMRs (3.33, 3.04, 2.95, against a mean of 1.43) move the mean and the variance: excluding them gives another I.
        Assert.True(Math.Abs(exclude.I - adjusted.I) > 0.01, $"{exclude.I} vs {adjusted.I}");
    }

    [Fact]
    public void the_empirical_bayes_index_under_the_zero_policy_standardises_every_districts_rate()
    {
        // spdep's EBImoran.mc with zero.policy = TRUE: the rates of all 56 districts standardised, n = 56.
        var cases = ScotlandLipCancer.Observed;
        var population = ScotlandLipCancer.Population;
        var z = AssuncaoReis.Standardise(cases, population);
        var dense = DenseMoran(z, ScotlandLipCancer.Neighbours, IslandConvention.ZeroPolicy);

        var result = MoranI.EmpiricalBayes(cases, population, ScotlandLipCancer.Weights(WeightStyle.RowStandardised), permutations: 0, islands: IslandConvention.ZeroPolicy);

        Assert.Equal(dense.I, result.I, 12);
        Assert.Equal(IslandConvention.ZeroPolicy, result.IslandConvention);
    }

    [Fact]
    public void local_moran_under_the_zero_policy_keeps_the_island_in_the_mean_and_gives_it_a_lag_of_zero()
    {
        // Binary weights, z as above (mean 2.4), m₂ = Σz²/5 = 1.04. Lags: −0.4, −1.4 + 0.6 = −0.8, −0.4 + 1.6 = 1.2,
        // 0.6, and 0 for the island. Iᵢ = zᵢ·lagᵢ/m₂ = 0.56/1.04, 0.32/1.04, 0.72/1.04, 0.96/1.04 = 7/13, 4/13, 9/13, 12/13, and 0.
        var result = LocalMoran.Compute(Values, LineWithIsland(WeightStyle.Binary), new LocalMoranOptions(Permutations: 99, IslandConvention: IslandConvention.ZeroPolicy));

        double[] expected = [7.0 / 13, 4.0 / 13, 9.0 / 13, 12.0 / 13, 0];
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], result.Areas[i].I, 14);
        Assert.Equal([-0.4, -0.8, 1.2, 0.6, 0], result.Areas.Select(a => Math.Round(a.Lag, 12)));
        Assert.Equal(LisaCategory.Island, result.Areas[4].Category);
        Assert.True(double.IsNaN(result.Areas[4].PseudoPValue));
        Assert.Equal(IslandConvention.ZeroPolicy, result.Options.IslandConvention);
    }

    [Fact]
    public void scottish_local_moran_under_the_zero_policy_matches_a_dense_recomputation()
    {
        // spdep's localmoran with zero.policy = TRUE: z centred on all 56 districts, m₂ = Σz²/56, Iᵢ = zᵢ Σⱼ wᵢⱼzⱼ / m₂.
        var smr = ScotlandLipCancer.Observed.Zip(ScotlandLipCancer.ExpectedCases, (o, e) => o / e).ToArray();
        var neighbours = ScotlandLipCancer.Neighbours;
        var mean = smr.Average();
        var m2 = smr.Sum(x => (x - mean) * (x - mean)) / smr.Length;

        var result = LocalMoran.Compute(smr, ScotlandLipCancer.Weights(WeightStyle.RowStandardised), new LocalMoranOptions(Permutations: 9, IslandConvention: IslandConvention.ZeroPolicy));

        for (var i = 0; i < smr.Length; i++)
        {
            var lag = 0.0;
            foreach (var j in neighbours[i])
                lag += (smr[j] - mean) / neighbours[i].Length;
            Assert.Equal((smr[i] - mean) * lag / m2, result.Areas[i].I, 12);
        }
    }

    [Fact]
    public void gi_star_under_the_zero_policy_takes_the_islands_value_into_the_mean_and_the_spread()
    {
        // x̄ = 2.4, s² = 5.2/5 = 1.04, n = 5. Area 0: {0, 1}, sum 3, W = 2 → z = (3 − 4.8)/(s√((5·2 − 4)/4)) = −1.8/√1.56.
        // Area 1: {0, 1, 2}, sum 6, W = 3 → (6 − 7.2)/(s√((15 − 9)/4)) = −1.2/√1.56; area 2: (9 − 7.2)/√1.56; area 3: (7 − 4.8)/√1.56.
        var result = GetisOrd.GiStar(Values, LineWithIsland(WeightStyle.Binary), IslandConvention.ZeroPolicy);

        var scale = Math.Sqrt(1.56);
        Assert.Equal(-1.8 / scale, result.Z[0], 12);
        Assert.Equal(-1.2 / scale, result.Z[1], 12);
        Assert.Equal(1.8 / scale, result.Z[2], 12);
        Assert.Equal(2.2 / scale, result.Z[3], 12);
        Assert.True(double.IsNaN(result.Z[4]));
        Assert.Equal(IslandConvention.ZeroPolicy, result.IslandConvention);
    }

    [Fact]
    public void adjust_n_is_refused_by_the_local_statistics_it_does_not_concern()
    {
        var w = LineWithIsland(WeightStyle.Binary);

        Assert.Throws<ArgumentException>(() => LocalMoran.Compute(Values, w, new LocalMoranOptions(IslandConvention: IslandConvention.ZeroPolicyAdjustN)));
        Assert.Throws<ArgumentException>(() => GetisOrd.GiStar(Values, w, IslandConvention.ZeroPolicyAdjustN));
    }

    private static void AssertMoments(MoranResult result, double i, double expected, double varianceNormality, double varianceRandomisation, double tolerance = 1e-14)
    {
        Assert.Equal(i, result.I, tolerance);
        Assert.Equal(expected, result.Expected, tolerance);
        Assert.Equal(varianceNormality, result.VarianceNormality, tolerance);
        Assert.Equal(varianceRandomisation, result.VarianceRandomisation, tolerance);
    }

    /// <summary>
    /// spdep's moran.test (moran, spweights.constants) on a dense row-standardised matrix with plain loops: the mean,
    /// Σz², Σz⁴ and the kurtosis over the areas kept, n as the convention says, S1 and S2 from the whole matrix.
    /// </summary>
    private static (double I, double Expected, double VarianceNormality, double VarianceRandomisation) DenseMoran(double[] x, int[][] neighbours, IslandConvention convention)
    {
        var count = x.Length;
        var w = new double[count, count];
        for (var i = 0; i < count; i++)
            foreach (var j in neighbours[i])
                w[i, j] = 1.0 / neighbours[i].Length;
        var kept = Enumerable.Range(0, count).Where(i => convention != IslandConvention.Exclude || neighbours[i].Length > 0).ToArray();
        var connected = Enumerable.Range(0, count).Count(i => neighbours[i].Length > 0);
        double n = convention == IslandConvention.ZeroPolicy ? kept.Length : connected;

        var mean = kept.Average(i => x[i]);
        var z = new double[count];
        foreach (var i in kept)
            z[i] = x[i] - mean;
        double zz = 0, z4 = 0, cross = 0, s0 = 0, s1 = 0, s2 = 0;
        foreach (var i in kept)
        {
            zz += z[i] * z[i];
            z4 += Math.Pow(z[i], 4);
        }
        for (var i = 0; i < count; i++)
        {
            double row = 0, column = 0;
            for (var j = 0; j < count; j++)
            {
                cross += w[i, j] * z[i] * z[j];
                s0 += w[i, j];
                s1 += 0.5 * Math.Pow(w[i, j] + w[j, i], 2);
                row += w[i, j];
                column += w[j, i];
            }
            s2 += Math.Pow(row + column, 2);
        }
        var k = kept.Length * z4 / (zz * zz);
        var expected = -1 / (n - 1);
        var varianceNormality = (n * n * s1 - n * s2 + 3 * s0 * s0) / ((n * n - 1) * s0 * s0) - expected * expected;
        var varianceRandomisation = (n * ((n * n - 3 * n + 3) * s1 - n * s2 + 3 * s0 * s0) - k * ((n * n - n) * s1 - 2 * n * s2 + 6 * s0 * s0))
            / ((n - 1) * (n - 2) * (n - 3) * s0 * s0) - expected * expected;
        return (n / s0 * cross / zz, expected, varianceNormality, varianceRandomisation);
    }

    /// <summary>P(cross-product ≥ observed) over every placement of the values, by enumeration.</summary>
    private static double ExactPermutationPValue(double[] values, (int A, int B)[] links)
    {
        double Cross(double[] x)
        {
            var mean = x.Average();
            return links.Sum(l => (x[l.A] - mean) * (x[l.B] - mean));
        }
        var observed = Cross(values);
        int atLeast = 0, total = 0;
        void Place(double[] placed, bool[] taken, int position)
        {
            if (position == values.Length)
            {
                total++;
                if (Cross(placed) >= observed - 1e-12)
                    atLeast++;
                return;
            }
            for (var k = 0; k < values.Length; k++)
            {
                if (taken[k])
                    continue;
                taken[k] = true;
                placed[position] = values[k];
                Place(placed, taken, position + 1);
                taken[k] = false;
            }
        }
        Place(new double[values.Length], new bool[values.Length], 0);
        return (double)atLeast / total;
    }
}
