using Analytics.Jobs.Ingest.Text;

namespace Analytics.Jobs.Tests.Ingest.Text;

/// <summary>Numbers as French and international producers write them.</summary>
public class NumbersTests
{
    [Theory]
    [InlineData("1234", 1234)]
    [InlineData(" 42 ", 42)]
    [InlineData("-12", -12)]
    [InlineData("+7", 7)]
    [InlineData("1 234", 1234)]            // ordinary space as thousands separator
    [InlineData("1\u00A0234\u00A0567", 1234567)] // no-break space, as French spreadsheets export
    [InlineData("12\u202F345", 12345)]      // narrow no-break space, the French typographic separator
    public void whole_numbers_are_read_with_any_space_as_thousands_separator(string text, long expected)
    {
        Assert.True(Numbers.TryParseWhole(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("2,5")]
    [InlineData("2.5")]
    [InlineData("1e3")]
    [InlineData("douze")]
    [InlineData("")]
    [InlineData("12 abc")]
    public void anything_but_a_whole_number_is_not_a_whole_number(string text) =>
        Assert.False(Numbers.TryParseWhole(text, out _));

    [Theory]
    [InlineData("0,068", 0.068)]            // decimal comma
    [InlineData("0.068", 0.068)]            // decimal point
    [InlineData("-0,5", -0.5)]
    [InlineData("22 210,5", 22210.5)]
    [InlineData("1\u00A0234,56", 1234.56)]  // no-break space thousands and decimal comma together
    [InlineData("1.5e3", 1500)]
    [InlineData("7", 7)]
    public void decimals_are_read_with_a_decimal_comma_or_point(string text, double expected)
    {
        Assert.True(Numbers.TryParseDecimal(text, out var value));
        Assert.Equal(expected, value, 12);
    }

    [Theory]
    [InlineData("1,234.5")]  // comma thousands and decimal point: ambiguous with a decimal comma, refused rather than guessed
    [InlineData("1,2,3")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("n.d.")]
    [InlineData("")]
    public void ambiguous_or_non_finite_text_is_not_a_decimal(string text) =>
        Assert.False(Numbers.TryParseDecimal(text, out _));
}
