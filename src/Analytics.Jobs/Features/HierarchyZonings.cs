using Analytics.Jobs.Ingest;
using System.Globalization;
using Analytics.Models.Secrecy;

namespace Analytics.Jobs.Features;

/// <summary>The published levels above the communes (EPCI, départements, régions) as zonings of commune codes, for the custom-zone rule.</summary>
internal static class HierarchyZonings
{
    /// <param name="communes">Each commune's code and the ids of its ancestors (null when it has none at that level).</param>
    public static List<PublishedZoning> Of(IReadOnlyCollection<(string Code, long? Epci, long? Departement, long? Region)> communes)
    {
        PublishedZoning Level(string name, Func<(string Code, long? Epci, long? Departement, long? Region), long?> parent) => new(name,
            communes.Where(c => parent(c) is not null).GroupBy(c => parent(c)!.Value)
                .Select(g => new Zone(g.Key.ToString(CultureInfo.InvariantCulture), g.Select(c => c.Code).ToHashSet(StringComparer.Ordinal))).ToList());
        return [Level(Levels.Epci, c => c.Epci), Level(Levels.Departement, c => c.Departement), Level(Levels.Region, c => c.Region)];
    }
}
