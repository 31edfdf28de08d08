using System.Text.RegularExpressions;

namespace Analytics.Jobs.Ingest.Health;

/// <summary>
/// Maps what a health file says a condition is — a catalogue code ("hosp_asthma"), a CIM-10 code
/// ("J45", "J45.0") or the catalogue's range itself ("J45-J46") — to the catalogue indicator.
/// </summary>
internal sealed partial class ConditionCodes
{
    private readonly Dictionary<string, string> exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(char Letter, int From, int To, string Indicator)> ranges = [];
    private readonly List<(string Prefix, string Indicator)> prefixes = [];

    public static async Task<ConditionCodes> LoadAsync(LoadContext context, CancellationToken cancellationToken)
    {
        var codes = new ConditionCodes();
        await using var command = context.Command("SELECT code, cim10_codes FROM catalog.indicator WHERE domain = 'human' AND cim10_codes IS NOT NULL");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            codes.Add(reader.GetString(0), reader.GetString(1));
        if (codes.exact.Count == 0)
            throw new IngestException(context.Request.FileName, null, null,
                "the catalogue has no health condition yet: load the indicator catalogue first (ingest catalog data/catalog/indicators.csv)");
        return codes;
    }

    private void Add(string indicator, string cim10)
    {
        exact[indicator] = indicator;
        foreach (var part in cim10.Split([',', ' ', '|'], StringSplitOptions.RemoveEmptyEntries))
        {
            exact[Compact(part)] = indicator;
            var range = Range().Match(Compact(part));
            if (range.Success && range.Groups[1].Value == range.Groups[3].Value)
                ranges.Add((range.Groups[1].Value[0], int.Parse(range.Groups[2].Value), int.Parse(range.Groups[4].Value), indicator));
            else
                prefixes.Add((Compact(part), indicator));
        }
    }

    public string? Resolve(string text)
    {
        var code = Compact(text);
        if (exact.TryGetValue(code, out var indicator))
            return indicator;
        var single = Single().Match(code);
        if (single.Success)
        {
            var number = int.Parse(single.Groups[2].Value);
            foreach (var (letter, from, to, rangeIndicator) in ranges)
                if (letter == single.Groups[1].Value[0] && number >= from && number <= to)
                    return rangeIndicator;
        }
        foreach (var (prefix, prefixIndicator) in prefixes)
            if (code.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                return prefixIndicator;
        return null;
    }

    private static string Compact(string code) => code.Trim().ToUpperInvariant().Replace(".", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);

    [GeneratedRegex(@"^([A-Z])(\d{2})-([A-Z])(\d{2})$")]
    private static partial Regex Range();

    [GeneratedRegex(@"^([A-Z])(\d{2})\d*$")]
    private static partial Regex Single();
}
