using Analytics.Models.Epidemiology;

namespace Analytics.Models.Tests.Epidemiology;

public class FunnelLimitsTests
{
    [Fact]
    public void the_upper_95_limit_for_ten_expected_cases_matches_the_poisson_table_interpolated_as_spiegelhalter_does()
    {
        // Poisson(10) table: F(16) = 0.97296, F(17) = 0.98572, so r = 17 and α = (0.98572 − 0.975) / (0.98572 − 0.97296).
        var alpha = (0.98572 - 0.975) / (0.98572 - 0.97296);
        var (_, upper) = FunnelLimits.For(10, 0.95);
        Assert.Equal((17 - alpha) / 10, upper, 3);
    }

    [Fact]
    public void the_lower_95_limit_for_ten_expected_cases_matches_the_poisson_table()
    {
        // F(3) = 0.01034, F(4) = 0.02925: r = 4, α = (0.02925 − 0.025) / (0.02925 − 0.01034).
        var alpha = (0.02925 - 0.025) / (0.02925 - 0.01034);
        var (lower, _) = FunnelLimits.For(10, 0.95);
        Assert.Equal((4 - alpha) / 10, lower, 3);
    }

    [Theory]
    [InlineData(10_000, 0.95, 1.959964)]
    [InlineData(40_000, 0.998, 3.090232)]
    public void with_many_expected_cases_the_limits_approach_the_normal_ones(double expected, double coverage, double z)
    {
        var (lower, upper) = FunnelLimits.For(expected, coverage);
        Assert.Equal(1 - z / Math.Sqrt(expected), lower, 3);
        Assert.Equal(1 + z / Math.Sqrt(expected), upper, 3);
    }

    [Fact]
    public void the_funnel_narrows_as_expected_cases_grow_and_the_998_limits_lie_outside_the_95_ones()
    {
        var previous = (Lower: 0.0, Upper: double.MaxValue);
        foreach (var expected in new[] { 2.0, 5, 20, 100, 1000 })
        {
            var inner = FunnelLimits.For(expected, 0.95);
            var outer = FunnelLimits.For(expected, 0.998);
            Assert.True(outer.Lower <= inner.Lower && inner.Upper <= outer.Upper, $"E = {expected}");
            Assert.True(inner.Upper < previous.Upper && inner.Lower >= previous.Lower, $"E = {expected}");
            previous = inner;
        }
    }

    [Fact]
    public void a_target_other_than_one_centres_the_funnel_on_it() =>
        Assert.InRange(FunnelLimits.For(10_000, 0.95, target: 1.2).Lower, 1.2 - 0.03, 1.2 - 0.015);

    [Fact]
    public void no_expected_case_has_no_limit() => Assert.Throws<ArgumentOutOfRangeException>(() => FunnelLimits.For(0, 0.95));
}
