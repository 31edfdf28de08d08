using Analytics.Models.Spatial;

namespace Analytics.Models.Tests.Spatial;

public class SpatialWeightsTests
{
    [Fact]
    public void binary_weights_on_a_line_have_the_hand_computed_sums()
    {
        // Hand computation: 6 directed links of weight 1 → S0 = 6; each of the 6 ordered pairs has
        // (1 + 1)² = 4 → S1 = ½·24 = 12; row + column sums 2, 4, 4, 2 → S2 = 4 + 16 + 16 + 4 = 40.
        var w = Line.Weights(WeightStyle.Binary);

        Assert.Equal(6, w.S0);
        Assert.Equal(12, w.S1);
        Assert.Equal(40, w.S2);
        Assert.Empty(w.Islands);
    }

    [Fact]
    public void row_standardised_weights_on_a_line_have_the_hand_computed_sums()
    {
        // Hand computation: rows 0 and 3 give weight 1 to their only neighbour, rows 1 and 2 give ½.
        // S0 = 4. Pairs {0,1} and {2,3}: (1 + ½)² = 2.25 each; pair {1,2}: (½ + ½)² = 1 → S1 = 5.5.
        // Column sums ½, 3/2, 3/2, ½ plus row sums 1 → S2 = 1.5² + 2.5² + 2.5² + 1.5² = 17.
        var w = Line.Weights(WeightStyle.RowStandardised);

        Assert.Equal(4, w.S0, 14);
        Assert.Equal(5.5, w.S1, 14);
        Assert.Equal(17, w.S2, 14);
        Assert.Equal([0.5, 0.5], w.Weights(1).ToArray());
        Assert.Equal([2.0, 2.0, 3.0, 3.0], w.Lag(Line.Values)); // neighbour means of 1, 2, 3, 4
    }

    [Fact]
    public void north_carolina_queen_contiguity_has_the_sums_spdep_documents()
    {
        var expected = NorthCarolinaSids.Spdep.GetProperty("queen_binary_s0_s1_s2").Doubles();

        var w = NorthCarolinaSids.Queen(WeightStyle.Binary);

        Assert.Equal([490.0, 980.0, 10696.0], expected);
        Assert.Equal(expected[0], w.S0);
        Assert.Equal(expected[1], w.S1);
        Assert.Equal(expected[2], w.S2);
    }

    [Fact]
    public void an_asymmetric_link_counts_once_in_s1()
    {
        // k-nearest-neighbour lists can be one-way: 0 → 1 only. ½[(w01 + w10)² + (w10 + w01)²] = 1.
        var w = SpatialWeights.FromNeighbours([[1], [2], [1]], WeightStyle.Binary);

        Assert.Equal(3, w.S0);
        Assert.Equal(1 + 4, w.S1); // 0→1 one-way: 1; 1↔2 both ways: (1 + 1)² = 4
    }

    [Fact]
    public void islands_are_listed_and_have_a_zero_lag()
    {
        var w = SpatialWeights.FromNeighbours([[1], [0], [], [4], [3]], WeightStyle.RowStandardised);

        Assert.Equal([2], w.Islands);
        Assert.Equal(4, w.ConnectedCount);
        Assert.Equal(0, w.Lag([1, 2, 3, 4, 5])[2]);
    }

    [Theory]
    [InlineData(new[] { 0 }, "itself")]
    [InlineData(new[] { 1, 1 }, "twice")]
    [InlineData(new[] { 7 }, "outside")]
    public void a_bad_neighbour_list_is_refused_with_its_area(int[] firstList, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => SpatialWeights.FromNeighbours([firstList, [0]], WeightStyle.Binary));

        Assert.Contains("area 0", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void an_island_named_as_a_neighbour_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => SpatialWeights.FromNeighbours([[1], []], WeightStyle.Binary));

        Assert.Contains("area 1 has no neighbour", error.Message);
    }
}
