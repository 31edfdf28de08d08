using System.Text.RegularExpressions;

namespace Analytics.Jobs.Exports;

/// <summary>
/// One cell of an exported CSV, made safe to open in a spreadsheet (OWASP, "CSV Injection").
/// </summary>
/// <remarks>
/// <para>Neutralised: a cell starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab, carriage return or line
/// feed gets a leading single quote (<c>'=HYPERLINK(…)</c>), so Excel and LibreOffice show it as text instead of
/// evaluating it.</para>
/// <para>Kept as it is: a well-formed number (<c>-1.5</c>, <c>-2</c>, <c>-1.5E-05</c>: an optional minus, digits, an
/// optional decimal part and exponent, nothing else). A spreadsheet reads it as a number and nothing in it can call a
/// function; prefixing it would turn every negative residual or coordinate into text. <c>-1+2</c>, <c>-Infinity</c> or
/// <c>-A1</c> are not well-formed numbers and are neutralised.</para>
/// <para>Quoted (RFC 4180): a cell holding the separator, a double quote, a carriage return or a line feed is
/// enclosed in double quotes with inner quotes doubled, so a line break stays inside its cell.</para>
/// </remarks>
public static partial class CsvCell
{
    /// <summary>The separator of the CSV the product writes unless asked otherwise: <c>;</c>, the French habit.</summary>
    public const char Separator = ';';

    /// <summary>The other separator a user may ask for: <c>,</c>, for English-language tools.</summary>
    public const char Comma = ',';

    /// <summary><paramref name="value"/> as it goes into a file separated by <paramref name="separator"/>: neutralised when it could be read as a formula, quoted when needed.</summary>
    public static string Of(string value, char separator = Separator)
    {
        if (value.Length > 0 && IsFormulaStart(value[0]) && !WellFormedNumber().IsMatch(value))
            value = "'" + value;
        var needsQuotes = separator == Comma ? NeedsQuotesWithComma : NeedsQuotes;
        return value.AsSpan().IndexOfAny(needsQuotes) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static bool IsFormulaStart(char c) => c is '=' or '+' or '-' or '@' or '\t' or '\r' or '\n';

    private static readonly System.Buffers.SearchValues<char> NeedsQuotes = System.Buffers.SearchValues.Create([Separator, '"', '\r', '\n']);

    private static readonly System.Buffers.SearchValues<char> NeedsQuotesWithComma = System.Buffers.SearchValues.Create([Comma, '"', '\r', '\n']);

    [GeneratedRegex(@"\A-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex WellFormedNumber();
}
