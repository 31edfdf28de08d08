namespace Analytics.Models.Secrecy;

/// <summary>
/// Whether a custom zone (a set of communes) may get its own published figures, given the zonings
/// already published: it must be populous enough, and must not differ from published zones by a
/// small group of communes — otherwise "zone A ∪ {one commune}" minus "zone A" publishes that commune.
/// </summary>
/// <remarks>
/// <para>Combinations checked (R is what a reader isolates; refused when 0 &lt; population(R) &lt; minimum —
/// a remainder of uninhabited communes reveals nothing):</para>
/// <list type="number">
/// <item>the zone alone: refused below the minimum population;</item>
/// <item>each published zone P: nested inside the zone (R = Z \ P), containing it (R = P \ Z), or
/// overlapping it (R = Z △ P, conservatively: the published difference is cases(Z\P) − cases(P\Z));</item>
/// <item>the union of all published zones, of any zoning, that lie inside the zone (R = Z \ that
/// union; subtracting fewer of them leaves more residents, so this is the worst case);</item>
/// <item>for each zoning, the union of its zones that meet the zone, when it covers the zone
/// (R = that union \ Z).</item>
/// </list>
/// <para>Not checked: covers mixing zones of several zonings, and differences between two published
/// zones (they are already public). Zones accepted earlier must be passed back as a published
/// zoning, so two custom zones cannot be differenced either. This is a geographic check: a custom
/// zone equal to a union of published zones adds the equation Z = Σ zones to the tables, so its
/// figures must also be protected jointly with theirs (<see cref="SecondarySuppression.Protect"/>),
/// or a suppressed commune is recovered as Z minus the published others.</para>
/// </remarks>
public sealed record CustomZoneRule
{
    /// <summary>
    /// 2,000 residents: an IRIS d'habitat, INSEE's smallest unit for detailed figures, usually
    /// counts 1,800 to 5,000 residents. A product choice, configurable.
    /// </summary>
    public const long DefaultMinimumPopulation = 2_000;

    public CustomZoneRule(long minimumPopulation = DefaultMinimumPopulation)
    {
        if (minimumPopulation < 1)
            throw new ArgumentOutOfRangeException(nameof(minimumPopulation), minimumPopulation, "the minimum population must be positive");
        MinimumPopulation = minimumPopulation;
    }

    public long MinimumPopulation { get; }

    /// <param name="candidate">The custom zone asked for.</param>
    /// <param name="published">Every zoning figures are published for, earlier custom zones included.</param>
    /// <param name="communePopulation">Residents per commune code; every commune named must be there.</param>
    public ZoneDecision Check(Zone candidate, IReadOnlyList<PublishedZoning> published, IReadOnlyDictionary<string, long> communePopulation)
    {
        if (candidate.Communes.Count == 0)
            throw new ArgumentException($"custom zone '{candidate.Code}' has no communes", nameof(candidate));
        foreach (var commune in candidate.Communes.Concat(published.SelectMany(z => z.Zones).SelectMany(z => z.Communes)))
            if (!communePopulation.ContainsKey(commune))
                throw new ArgumentException($"commune '{commune}' has no population", nameof(communePopulation));

        long Population(IEnumerable<string> communes) => communes.Sum(c => communePopulation[c]);
        var refusals = new List<ZoneRefusal>();
        void RefuseIfSmall(ZoneRefusalKind kind, string against, IEnumerable<string> remainder)
        {
            var communes = remainder.OrderBy(c => c, StringComparer.Ordinal).ToList();
            var residents = Population(communes);
            if (residents > 0 && residents < MinimumPopulation)
                refusals.Add(new ZoneRefusal(kind, against, communes, residents));
        }

        var zone = candidate.Communes;
        var zonePopulation = Population(zone);
        if (zonePopulation < MinimumPopulation)
            refusals.Add(new ZoneRefusal(ZoneRefusalKind.TooSmall, candidate.Code, zone.OrderBy(c => c, StringComparer.Ordinal).ToList(), zonePopulation));

        var inside = new HashSet<string>(StringComparer.Ordinal);
        var insideNames = new List<string>();
        foreach (var zoning in published)
        {
            var cover = new HashSet<string>(StringComparer.Ordinal);
            var coverNames = new List<string>();
            foreach (var other in zoning.Zones)
            {
                var p = other.Communes;
                var name = $"{zoning.Name} {other.Code}";
                if (!p.Overlaps(zone))
                    continue;
                cover.UnionWith(p);
                coverNames.Add(other.Code);
                if (p.SetEquals(zone))
                    continue;
                if (p.IsSubsetOf(zone))
                {
                    inside.UnionWith(p);
                    insideNames.Add(name);
                    RefuseIfSmall(ZoneRefusalKind.DifferenceWithZone, name, zone.Except(p));
                }
                else if (zone.IsSubsetOf(p))
                    RefuseIfSmall(ZoneRefusalKind.DifferenceWithZone, name, p.Except(zone));
                else
                    RefuseIfSmall(ZoneRefusalKind.DifferenceWithZone, name, zone.Except(p).Concat(p.Except(zone)));
            }
            if (coverNames.Count > 1 && cover.IsSupersetOf(zone) && !cover.SetEquals(zone))
                RefuseIfSmall(ZoneRefusalKind.DifferenceWithCover, $"{zoning.Name} {string.Join(" ∪ ", coverNames)}", cover.Except(zone));
        }
        if (insideNames.Count > 1 && !inside.SetEquals(zone))
            RefuseIfSmall(ZoneRefusalKind.DifferenceWithZonesInside, string.Join(" ∪ ", insideNames), zone.Except(inside));

        return new ZoneDecision(refusals);
    }
}
