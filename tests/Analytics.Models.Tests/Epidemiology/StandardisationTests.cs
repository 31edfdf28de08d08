using Analytics.Models.Epidemiology;

namespace Analytics.Models.Tests.Epidemiology;

public class StandardisationTests
{
    private static readonly System.Text.Json.JsonElement Down = GoldenFile.Read("Epidemiology/Golden/down_syndrome_by_birth_order.json");

    private static (long[] Cases, double[] Births)[] BirthOrders() => Down.GetProperty("birth_orders").EnumerateArray()
        .Select(o => (o.GetProperty("cases").EnumerateArray().Select(c => c.GetInt64()).ToArray(), o.GetProperty("births").Doubles()))
        .ToArray();

    // The fixture's standard population: each age stratum's mean births over the five birth orders.
    private static double[] Standard()
    {
        var orders = BirthOrders();
        return Enumerable.Range(0, 6).Select(s => orders.Average(o => o.Births[s])).ToArray();
    }

    [Fact]
    public void fay_feuer_intervals_reproduce_table_1_of_fay_and_feuer_1997()
    {
        var published = Down.GetProperty("expected").GetProperty("fay_feuer_published").GetProperty("by_order").EnumerateArray().Select(r => r.Doubles()).ToArray();
        var precise = Down.GetProperty("expected").GetProperty("fay_feuer_full_precision").GetProperty("by_order").EnumerateArray().Select(r => r.Doubles()).ToArray();
        var orders = BirthOrders();
        for (var k = 0; k < orders.Length; k++)
        {
            var dsr = DirectStandardisation.Compute(orders[k].Cases, orders[k].Births, Standard(), StandardisedRateInterval.FayFeuer);

            // Published to one decimal; epitools to double precision.
            Assert.Equal(published[k][0], Math.Round(dsr.Rate.Value, 1), 6);
            Assert.Equal(published[k][1], Math.Round(dsr.Rate.Lower, 1), 6);
            Assert.Equal(published[k][2], Math.Round(dsr.Rate.Upper, 1), 6);
            Assert.Equal(precise[k][0], dsr.Rate.Value, 1e-9);
            Assert.Equal(precise[k][1], dsr.Rate.Lower, 1e-7);
            Assert.Equal(precise[k][2], dsr.Rate.Upper, 1e-7);
        }
    }

    [Fact]
    public void dobson_intervals_match_an_independent_scipy_computation()
    {
        var expected = Down.GetProperty("expected").GetProperty("dobson").GetProperty("by_order").EnumerateArray().Select(r => r.Doubles()).ToArray();
        var orders = BirthOrders();
        for (var k = 0; k < orders.Length; k++)
        {
            var dsr = DirectStandardisation.Compute(orders[k].Cases, orders[k].Births, Standard());

            Assert.Equal((long)expected[k][0], dsr.Cases);
            Assert.Equal(expected[k][1], dsr.Rate.Value, 1e-9);
            Assert.Equal(expected[k][2], dsr.Rate.Lower, 1e-7);
            Assert.Equal(expected[k][3], dsr.Rate.Upper, 1e-7);
            Assert.Equal(expected[k][4], dsr.StandardError, 1e-9);
        }
    }

    [Theory]
    [InlineData(StandardisedRateInterval.Dobson)]
    [InlineData(StandardisedRateInterval.FayFeuer)]
    public void with_a_reference_proportional_to_the_study_population_both_intervals_are_the_exact_poisson_ones(StandardisedRateInterval method)
    {
        // Fay & Feuer (1997, abstract): both methods are exact when the standard population is
        // proportional to the study population; the DSR is then the crude rate.
        long[] cases = [3, 12, 30];
        double[] personYears = [20_000, 30_000, 50_000];
        double[] reference = [2, 3, 5];

        var dsr = DirectStandardisation.Compute(cases, personYears, reference, method);
        var crude = CrudeRate.Compute(45, 100_000);

        Assert.Equal(crude.Value, dsr.Rate.Value, 1e-10);
        Assert.Equal(crude.Lower, dsr.Rate.Lower, 1e-8);
        Assert.Equal(crude.Upper, dsr.Rate.Upper, 1e-8);
    }

    [Fact]
    public void no_case_at_all_gives_a_zero_rate_with_a_finite_upper_limit()
    {
        // Upper limit = Γ⁻¹(0.975; 1) × max wᵢ/nᵢ = 3.68887945411394 × (0.5 × 1e5 / 1000).
        var dsr = DirectStandardisation.Compute([0, 0], [1000, 4000], [1, 1]);

        Assert.Equal(0, dsr.Rate.Value);
        Assert.Equal(0, dsr.Rate.Lower);
        Assert.Equal(3.68887945411394 * 50, dsr.Rate.Upper, 1e-8);
    }

    [Fact]
    public void a_stratum_with_reference_weight_but_no_person_time_is_refused_by_index()
    {
        var error = Assert.Throws<ArgumentException>(() => DirectStandardisation.Compute([1, 0], [100, 0], [1, 1]));

        Assert.Contains("stratum 1", error.Message);
    }

    [Fact]
    public void expected_cases_apply_reference_rates_to_the_study_population()
    {
        // Hand computation: reference rates 10/10,000 and 60/20,000 = 0.001 and 0.003;
        // E = 5,000 × 0.001 + 2,000 × 0.003 = 11; 22 observed gives SIR 2 with limits Garwood(22)/11.
        var rates = IndirectStandardisation.ReferenceRates([10, 60], [10_000, 20_000]);
        var expected = IndirectStandardisation.ExpectedCases([5_000, 2_000], rates);
        var sir = IndirectStandardisation.Ratio(22, expected);
        var count = PoissonInterval.Exact(22);

        Assert.Equal(11, expected, 12);
        Assert.Equal(2, sir.Value, 12);
        Assert.Equal(count.Lower / 11, sir.Lower, 12);
        Assert.Equal(count.Upper / 11, sir.Upper, 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(49)]
    [InlineData(55)] // O = 0
    [InlineData(56)] // O = 0
    public void scottish_lip_cancer_sirs_match_r_poisson_test(int district)
    {
        var expected = ScotlandLipCancer.Expected.GetProperty("sir_exact").GetProperty("by_district").GetProperty(district.ToString()).Doubles();

        var sir = IndirectStandardisation.Ratio(ScotlandLipCancer.Observed[district - 1], ScotlandLipCancer.ExpectedCases[district - 1]);

        Assert.Equal(expected[0], sir.Value, 1e-12);
        Assert.Equal(expected[1], sir.Lower, 1e-9);
        Assert.Equal(expected[2], sir.Upper, 1e-9);
    }
}
