using Analytics.Models.Secrecy;

namespace Analytics.Models.Tests.Secrecy;

public class PublishedTests
{
    [Fact]
    public void a_default_published_figure_is_missing_not_a_zero()
    {
        Published<long> figure = default;

        Assert.Equal(PublicationState.Missing, figure.State);
        Assert.False(figure.HasValue);
        Assert.Throws<InvalidOperationException>(() => figure.Value);
    }

    [Theory]
    [InlineData(PublicationState.Suppressed, PublicationState.Missing, PublicationState.Suppressed)]
    [InlineData(PublicationState.Unreliable, PublicationState.Suppressed, PublicationState.Suppressed)]
    [InlineData(PublicationState.Unreliable, PublicationState.Missing, PublicationState.Missing)]
    [InlineData(PublicationState.Value, PublicationState.Unreliable, PublicationState.Unreliable)]
    [InlineData(PublicationState.Value, PublicationState.Value, PublicationState.Value)]
    public void a_derived_figure_takes_the_strongest_state_of_its_inputs(PublicationState a, PublicationState b, PublicationState expected)
    {
        Assert.Equal(expected, Published.Combine(a, b));
    }

    [Fact]
    public void a_rate_on_a_suppressed_count_is_suppressed_even_with_a_published_population()
    {
        var rate = DerivedRates.Rate(Published<long>.Suppressed, Published.Of(1_200L));

        Assert.Equal(PublicationState.Suppressed, rate.State);
        Assert.Equal("s", rate.ToString());
    }

    [Fact]
    public void a_rate_on_fewer_than_twenty_cases_is_shown_but_flagged_unreliable()
    {
        var rate = DerivedRates.Rate(Published.Of(12L), Published.Of(4_000L));

        Assert.Equal(PublicationState.Unreliable, rate.State);
        Assert.Equal(300.0, rate.Value, 9); // 12 / 4000 per 100,000
    }

    [Fact]
    public void a_rate_on_twenty_cases_or_more_is_a_plain_value()
    {
        var rate = DerivedRates.Rate(Published.Of(20L), Published.Of(10_000L), perPopulation: 1_000);

        Assert.Equal(Published.Of(2.0), rate);
    }

    [Fact]
    public void a_rate_over_no_population_is_missing_and_a_suppressed_count_stays_suppressed()
    {
        Assert.Equal(PublicationState.Missing, DerivedRates.Rate(Published.Of(0L), Published.Of(0L)).State);
        Assert.Equal(PublicationState.Suppressed, DerivedRates.Rate(Published<long>.Suppressed, Published.Of(0L)).State);
    }

    [Fact]
    public void an_sir_on_a_suppressed_observed_count_is_suppressed_and_one_on_a_missing_expected_count_is_missing()
    {
        Assert.Equal(PublicationState.Suppressed,
            DerivedRates.StandardisedIncidenceRatio(Published<long>.Suppressed, Published.Of(14.2)).State);
        Assert.Equal(PublicationState.Missing,
            DerivedRates.StandardisedIncidenceRatio(Published.Of(30L), Published<double>.Missing).State);
        Assert.Equal(Published.Of(1.5), DerivedRates.StandardisedIncidenceRatio(Published.Of(30L), Published.Of(20.0)));
    }
}
