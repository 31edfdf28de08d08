using Analytics.Models.Epidemiology;

namespace Analytics.Models.Tests.Epidemiology;

public class PoissonIntervalTests
{
    public static TheoryData<long, double, double, double> GoldenCases()
    {
        var data = new TheoryData<long, double, double, double>();
        foreach (var c in GoldenFile.Read("Epidemiology/Golden/poisson_exact_intervals.json").GetProperty("cases").EnumerateArray())
            data.Add(c.GetProperty("count").GetInt64(), c.GetProperty("level").GetDouble(), c.GetProperty("lower").GetDouble(), c.GetProperty("upper").GetDouble());
        return data;
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void exact_limits_match_r_poisson_test_to_nine_significant_digits(long count, double level, double lower, double upper)
    {
        var interval = PoissonInterval.Exact(count, level);

        Assert.Equal(lower, interval.Lower, Math.Max(1e-12, lower * 1e-9));
        Assert.Equal(upper, interval.Upper, upper * 1e-9);
        Assert.Equal(level, interval.Level);
    }

    [Fact]
    public void a_crude_rate_is_the_count_and_its_exact_limits_over_person_time()
    {
        // 10 cases in 50,000 person-years = 20 per 100,000; limits = Garwood(10) × 100,000 / 50,000,
        // with Garwood(10) = (4.79538869613243, 18.3903560420178) from the golden file.
        var rate = CrudeRate.Compute(10, 50_000);

        Assert.Equal(20, rate.Value, 12);
        Assert.Equal(4.79538869613243 * 2, rate.Lower, 1e-8);
        Assert.Equal(18.3903560420178 * 2, rate.Upper, 1e-8);
    }

    [Fact]
    public void a_negative_count_or_a_level_outside_zero_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PoissonInterval.Exact(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PoissonInterval.Exact(3, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CrudeRate.Compute(3, 0));
    }
}
