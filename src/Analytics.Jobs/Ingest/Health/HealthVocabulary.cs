using System.Globalization;
using System.Text.RegularExpressions;
using Analytics.Jobs.Ingest.Text;

namespace Analytics.Jobs.Ingest.Health;

/// <summary>
/// The values health extracts carry, in the forms producers write them, turned into the
/// product's: sex M/F/T, age bands "0-14" … "75+" or "all", periods "2022" or "2022-06",
/// and counts that may be suppressed at source.
/// </summary>
public static partial class HealthVocabulary
{
    public static string? ParseSex(string text) => Columns.Normalise(text) switch
    {
        "m" or "h" or "1" or "homme" or "hommes" or "male" or "masculin" or "men" => "M",
        "f" or "2" or "femme" or "femmes" or "female" or "feminin" or "women" => "F",
        "t" or "0" or "3" or "ensemble" or "tous" or "all" or "total" or "both" or "e" => "T",
        _ => null,
    };

    /// <summary>"0-14", "00_14", "0 à 14 ans" → "0-14"; "75+", "75 et plus", "75 ans ou plus" → "75+"; "tous âges" → "all".</summary>
    public static string? ParseAgeBand(string text)
    {
        var value = Columns.Normalise(text);
        if (value is "all" or "tous" or "tous_ages" or "ensemble" or "total" or "tout_age")
            return "all";
        var range = AgeRange().Match(value);
        if (range.Success)
        {
            var low = int.Parse(range.Groups[1].Value, CultureInfo.InvariantCulture);
            var high = int.Parse(range.Groups[2].Value, CultureInfo.InvariantCulture);
            return low <= high && high <= 120 ? $"{low}-{high}" : null;
        }
        var open = AgeOpen().Match(value);
        if (open.Success || text.Trim().EndsWith('+'))
        {
            var digits = new string(text.TakeWhile(c => char.IsAsciiDigit(c) || char.IsWhiteSpace(c)).Where(char.IsAsciiDigit).ToArray());
            if (open.Success)
                digits = open.Groups[1].Value;
            return int.TryParse(digits, CultureInfo.InvariantCulture, out var from) && from <= 120 ? $"{from}+" : null;
        }
        return null;
    }

    /// <summary>A year or a month, within [<paramref name="firstYear"/>, <paramref name="lastYear"/>]; null when not a period or out of range.</summary>
    public static string? ParsePeriod(string text, int firstYear, int lastYear, out bool outOfRange)
    {
        outOfRange = false;
        var value = text.Trim();
        int year, month = 0;
        var match = PeriodPattern().Match(value);
        if (match.Success)
        {
            year = int.Parse(match.Groups["y"].Value, CultureInfo.InvariantCulture);
            if (match.Groups["m"].Success)
                month = int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture);
        }
        else if ((match = MonthFirstPattern().Match(value)).Success)
        {
            year = int.Parse(match.Groups["y"].Value, CultureInfo.InvariantCulture);
            month = int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture);
        }
        else
            return null;
        if (match.Groups["m"].Success && month is < 1 or > 12)
            return null;
        if (year < firstYear || year > lastYear)
        {
            outOfRange = true;
            return null;
        }
        return month == 0 ? year.ToString(CultureInfo.InvariantCulture) : $"{year:D4}-{month:D2}";
    }

    /// <summary>Markers producers use for a count they suppressed themselves (statistical secrecy at source).</summary>
    public static bool IsSuppressedMarker(string text)
    {
        var value = text.Trim().ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal);
        return value.Length == 0 || value is "s" or "c" or "nd" or "n.d." or "secret" or "ss" or "x" or "*" || SuppressedBelow().IsMatch(value);
    }

    [GeneratedRegex(@"^(\d{1,3})_(?:a_)?(\d{1,3})(?:_ans)?$")]
    private static partial Regex AgeRange();

    [GeneratedRegex(@"^(\d{1,3})(?:_ans)?(?:_et_plus|_ou_plus|_plus|_and_over|_and_more)$")]
    private static partial Regex AgeOpen();

    [GeneratedRegex(@"^(?<y>\d{4})(?:-?(?<m>\d{1,2}))?$")]
    private static partial Regex PeriodPattern();

    [GeneratedRegex(@"^(?<m>\d{1,2})/(?<y>\d{4})$")]
    private static partial Regex MonthFirstPattern();

    [GeneratedRegex(@"^(<|<=|≤)\d{1,3}$")]
    private static partial Regex SuppressedBelow();
}
