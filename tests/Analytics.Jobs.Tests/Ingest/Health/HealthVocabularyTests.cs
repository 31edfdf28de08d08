using Analytics.Jobs.Ingest.Health;

namespace Analytics.Jobs.Tests.Ingest.Health;

/// <summary>The words health extracts use for sex, age bands, periods and suppressed counts.</summary>
public class HealthVocabularyTests
{
    [Theory]
    [InlineData("M", "M")]
    [InlineData("h", "M")]
    [InlineData("Hommes", "M")]
    [InlineData("1", "M")]        // INSEE coding: 1 = male
    [InlineData("F", "F")]
    [InlineData("Femme", "F")]
    [InlineData("2", "F")]        // INSEE coding: 2 = female
    [InlineData("Féminin", "F")]
    [InlineData("T", "T")]
    [InlineData("Ensemble", "T")]
    [InlineData("0", "T")]
    [InlineData("both", "T")]
    public void sexes_are_read_from_letters_words_and_INSEE_digits(string text, string expected) =>
        Assert.Equal(expected, HealthVocabulary.ParseSex(text));

    [Theory]
    [InlineData("X")]
    [InlineData("4")]
    [InlineData("")]
    public void anything_else_is_not_a_sex(string text) => Assert.Null(HealthVocabulary.ParseSex(text));

    [Theory]
    [InlineData("0-14", "0-14")]
    [InlineData("00_14", "0-14")]
    [InlineData("0 à 14 ans", "0-14")]
    [InlineData("15-44", "15-44")]
    [InlineData("75+", "75+")]
    [InlineData("75 ans et plus", "75+")]
    [InlineData("75 ou plus", "75+")]
    [InlineData("Tous âges", "all")]
    [InlineData("ensemble", "all")]
    public void age_bands_are_normalised(string text, string expected) =>
        Assert.Equal(expected, HealthVocabulary.ParseAgeBand(text));

    [Theory]
    [InlineData("14-0")]    // upside down
    [InlineData("0-150")]   // beyond any human age
    [InlineData("jeunes")]
    [InlineData("")]
    public void impossible_age_bands_are_refused(string text) => Assert.Null(HealthVocabulary.ParseAgeBand(text));

    [Theory]
    [InlineData("2022", "2022")]
    [InlineData(" 2022 ", "2022")]
    [InlineData("2022-06", "2022-06")]
    [InlineData("2022-6", "2022-06")]
    [InlineData("202206", "2022-06")]
    [InlineData("06/2022", "2022-06")]
    public void periods_are_years_or_months(string text, string expected)
    {
        Assert.Equal(expected, HealthVocabulary.ParsePeriod(text, 1980, 2026, out var outOfRange));
        Assert.False(outOfRange);
    }

    [Theory]
    [InlineData("2022-13")]
    [InlineData("2022-00")]
    [InlineData("22")]
    [InlineData("last year")]
    public void text_that_is_no_period_is_refused_as_such(string text)
    {
        Assert.Null(HealthVocabulary.ParsePeriod(text, 1980, 2026, out var outOfRange));
        Assert.False(outOfRange);
    }

    [Theory]
    [InlineData("2027")]     // the year after the clock's
    [InlineData("2099-01")]
    [InlineData("1979")]     // before the first year accepted
    public void periods_outside_the_accepted_years_are_out_of_range(string text)
    {
        Assert.Null(HealthVocabulary.ParsePeriod(text, 1980, 2026, out var outOfRange));
        Assert.True(outOfRange);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("S")]
    [InlineData("secret")]
    [InlineData("n.d.")]
    [InlineData("*")]
    [InlineData("<5")]
    [InlineData("< 11")]
    [InlineData("≤10")]
    public void producers_suppression_markers_are_recognised(string text) =>
        Assert.True(HealthVocabulary.IsSuppressedMarker(text));

    [Theory]
    [InlineData("0")]
    [InlineData("3")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("<")]
    public void counts_and_other_text_are_not_suppression_markers(string text) =>
        Assert.False(HealthVocabulary.IsSuppressedMarker(text));
}
