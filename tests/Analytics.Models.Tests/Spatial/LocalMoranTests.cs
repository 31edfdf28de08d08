using Analytics.Models.Spatial;
using Analytics.Models.Tests.Epidemiology;

namespace Analytics.Models.Tests.Spatial;

public class LocalMoranTests
{
    [Fact]
    public void local_moran_on_a_line_matches_the_hand_computation()
    {
        // Hand computation, row-standardised: z = (−1.5, −0.5, 0.5, 1.5), m₂ = Σz²/n = 1.25; lags
        // −0.5, −0.5, 0.5, 0.5 → Iᵢ = zᵢ·lagᵢ/m₂ = 0.6, 0.2, 0.2, 0.6, summing to n·I = 4 × 0.4.
        var result = LocalMoran.Compute(Line.Values, Line.Weights(WeightStyle.RowStandardised), new LocalMoranOptions(Permutations: 99));

        Assert.Equal([0.6, 0.2, 0.2, 0.6], result.Areas.Select(a => Math.Round(a.I, 12)));
        Assert.Equal([-0.5, -0.5, 0.5, 0.5], result.Areas.Select(a => Math.Round(a.Lag, 12)));
    }

    [Fact]
    public void the_conditional_permutation_p_value_of_an_end_of_the_line_approaches_one_third()
    {
        // Area 0 (z = −1.5) keeps its value; its one neighbour is drawn from the other three values
        // −0.5, 0.5, 1.5, giving I₀ = −1.2 × (−0.5, 0.5, 1.5) = 0.6, −0.6, −1.8. The observed 0.6 is
        // reached in 1 draw of 3 and the folded tail is the smaller one: p → 1/3. With 9,999 draws the
        // Monte Carlo standard error is 0.0047; allow 0.02.
        var result = LocalMoran.Compute(Line.Values, Line.Weights(WeightStyle.RowStandardised), new LocalMoranOptions(Permutations: 9_999, Seed: 3));

        Assert.Equal(1.0 / 3, result.Areas[0].PseudoPValue, 0.02);
        Assert.Equal(LisaCategory.NotSignificant, result.Areas[0].Category);
    }

    [Fact]
    public void north_carolina_local_values_match_spdep_localmoran()
    {
        var expected = NorthCarolinaSids.Spdep.GetProperty("localmoran_Ii").Doubles();

        var result = LocalMoran.Compute(NorthCarolinaSids.Rate74, NorthCarolinaSids.Queen(WeightStyle.RowStandardised), new LocalMoranOptions(Permutations: 99));

        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], result.Areas[i].I, 1e-12);
    }

    [Fact]
    public void a_planted_hot_spot_and_cold_spot_are_mapped_high_high_and_low_low()
    {
        // 10 × 10 rook grid of values 0; a 3 × 3 block of 10s in one corner and of −10s in the other.
        // Every block cell has high (or low) neighbours; the cells far from both blocks are not significant.
        var (neighbours, values) = Grid(10, (r, c) => r < 3 && c < 3 ? 10 : r >= 7 && c >= 7 ? -10 : 0);

        var result = LocalMoran.Compute(values, SpatialWeights.FromNeighbours(neighbours, WeightStyle.RowStandardised), new LocalMoranOptions(Permutations: 999, Seed: 11));

        Assert.Equal(LisaCategory.HighHigh, result.Areas[1 * 10 + 1].Category);
        Assert.Equal(LisaCategory.LowLow, result.Areas[8 * 10 + 8].Category);
        Assert.Equal(LisaCategory.NotSignificant, result.Areas[5 * 10 + 0].Category);
    }

    [Fact]
    public void fdr_adjustment_keeps_fewer_or_as_many_areas_significant()
    {
        var w = NorthCarolinaSids.Queen(WeightStyle.RowStandardised);

        var raw = LocalMoran.Compute(NorthCarolinaSids.Rate74, w, new LocalMoranOptions(Seed: 5));
        var adjusted = LocalMoran.Compute(NorthCarolinaSids.Rate74, w, new LocalMoranOptions(Seed: 5, AdjustForFalseDiscoveryRate: true));

        var significantRaw = raw.Areas.Count(a => a.Category != LisaCategory.NotSignificant);
        var significantAdjusted = adjusted.Areas.Count(a => a.Category != LisaCategory.NotSignificant);
        Assert.True(significantAdjusted <= significantRaw);
        Assert.Equal(raw.Areas.Select(a => a.PseudoPValue), adjusted.Areas.Select(a => a.PseudoPValue));
        Assert.All(adjusted.Areas, a => Assert.True(a.AdjustedPValue >= a.PseudoPValue));
    }

    [Fact]
    public void scottish_islands_are_categorised_as_islands_with_no_statistic()
    {
        var smr = ScotlandLipCancer.Observed.Zip(ScotlandLipCancer.ExpectedCases, (o, e) => o / e).ToArray();

        var result = LocalMoran.Compute(smr, ScotlandLipCancer.Weights(WeightStyle.RowStandardised), new LocalMoranOptions(Permutations: 99));

        Assert.Equal([5, 7, 10], result.Islands);
        Assert.Equal([5, 7, 10], result.Areas.Where(a => a.Category == LisaCategory.Island).Select(a => a.Index));
        Assert.True(double.IsNaN(result.Areas[5].I));
    }

    [Fact]
    public void the_same_seed_gives_the_same_map()
    {
        var w = NorthCarolinaSids.Queen(WeightStyle.RowStandardised);

        var first = LocalMoran.Compute(NorthCarolinaSids.Rate74, w, new LocalMoranOptions(Permutations: 199, Seed: 9));
        var second = LocalMoran.Compute(NorthCarolinaSids.Rate74, w, new LocalMoranOptions(Permutations: 199, Seed: 9));

        Assert.Equal(first.Areas, second.Areas);
    }

    internal static (IReadOnlyList<int>[] Neighbours, double[] Values) Grid(int size, Func<int, int, double> value)
    {
        var neighbours = new IReadOnlyList<int>[size * size];
        var values = new double[size * size];
        for (var r = 0; r < size; r++)
        for (var c = 0; c < size; c++)
        {
            var list = new List<int>();
            if (r > 0) list.Add((r - 1) * size + c);
            if (r < size - 1) list.Add((r + 1) * size + c);
            if (c > 0) list.Add(r * size + c - 1);
            if (c < size - 1) list.Add(r * size + c + 1);
            neighbours[r * size + c] = list;
            values[r * size + c] = value(r, c);
        }
        return (neighbours, values);
    }
}
