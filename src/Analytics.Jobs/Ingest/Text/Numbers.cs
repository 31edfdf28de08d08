using System.Globalization;

namespace Analytics.Jobs.Ingest.Text;

/// <summary>
/// Numbers as French and international producers write them: decimal point or decimal comma,
/// spaces (including non-breaking ones) as thousands separators.
/// </summary>
public static class Numbers
{
    /// <summary>
    /// Longest text read as a number: enough for any real figure with its separators. A longer one
    /// (a 100,000-digit "number") is not a number, and is refused before any parser spends time on it.
    /// </summary>
    public const int MaxChars = 64;

    public static bool TryParseWhole(string text, out long value)
    {
        value = 0;
        if (text.Length > MaxChars)
            return false;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
            return true; // the common case: plain digits
        var cleaned = Clean(text);
        return long.TryParse(cleaned, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A finite number: NaN and ±Infinity, in any spelling, are not numbers of a measure.</summary>
    public static bool TryParseDecimal(string text, out double value)
    {
        value = 0;
        if (text.Length > MaxChars)
            return false;
        var cleaned = Clean(text);
        if (cleaned.Count(c => c == ',') == 1 && !cleaned.Contains('.'))
            cleaned = cleaned.Replace(',', '.');
        return double.TryParse(cleaned, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                   CultureInfo.InvariantCulture, out value)
               && double.IsFinite(value);
    }

    private static string Clean(string text) =>
        text.Trim().Replace(" ", "", StringComparison.Ordinal).Replace("\u00A0", "", StringComparison.Ordinal).Replace("\u202F", "", StringComparison.Ordinal);
}
