using Analytics.Models.Secrecy;

namespace Analytics.Models.Tests.Secrecy;

/// <summary>
/// Random hierarchical tables (<see cref="RandomTables.Hierarchical"/>: région ⊃ départements ⊃ EPCI ⊃
/// communes, × sex, × age band, and sometimes × period), every margin published; seeded so any failure replays.
/// </summary>
public class SuppressionPropertyTests
{
    private const int Tables = 40;

    public static TheoryData<ulong> Seeds()
    {
        var data = new TheoryData<ulong>();
        for (ulong seed = 1; seed <= Tables; seed++)
            data.Add(seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void after_suppression_no_small_cell_is_published_the_auditor_derives_nothing_and_rates_follow_their_counts(ulong seed)
    {
        var table = RandomTables.Hierarchical(seed);
        var rule = SecrecyRule.Default;

        var result = table.Suppress(rule);

        Assert.True(result.Outcome.IsProtected, $"seed {seed}: {result.Outcome.Unresolved}");
        for (var cell = 0; cell < table.CellCount; cell++)
        {
            if (result.Status(cell).IsSuppressed())
                continue;
            var cases = table.Cases(cell);
            Assert.False(rule.IsSmall(cases), $"seed {seed}: {table.Label(cell)} published with {cases} cases");
            var population = table.Population(cell)!.Value;
            Assert.False(cases > 0 && rule.IsSmall(population - cases),
                $"seed {seed}: {table.Label(cell)} published with a complement of {population - cases}");
        }
        var report = DisclosureAuditor.Audit(result.AsPublished(), table.Relations(), rule);
        Assert.True(report.Disclosures.Count == 0, $"seed {seed}: {report}");
        Assert.All(report.NarrowIntervals, n => Assert.False(result.Status(n.Cell).IsSensitive(), $"seed {seed}: {n}"));
        for (var cell = 0; cell < table.CellCount; cell++)
            Assert.Equal(result.Cases(cell).State == PublicationState.Suppressed, result.Rate(cell).State == PublicationState.Suppressed);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void with_primary_suppression_only_the_auditor_names_every_small_cell_left_alone_in_an_equation(ulong seed)
    {
        var table = RandomTables.Hierarchical(seed);
        var rule = SecrecyRule.Default;
        var primary = Enumerable.Range(0, table.CellCount)
            .Where(c => rule.PrimaryStatus(table.Cases(c), table.Population(c)).IsSuppressed())
            .ToHashSet();
        var published = Enumerable.Range(0, table.CellCount)
            .Select(c => new DisclosureCell(table.Label(c), primary.Contains(c) ? Published<long>.Suppressed : Published.Of(table.Cases(c)), table.Population(c)))
            .ToList();
        var relations = table.Relations();
        var alone = relations.Select(r => r.Terms.Where(t => primary.Contains(t.Cell)).Select(t => t.Cell).ToList())
            .Where(cells => cells.Count == 1).Select(cells => cells[0]).ToHashSet();

        var report = DisclosureAuditor.Audit(published, relations, rule);

        var derived = report.Disclosures.ToDictionary(d => d.Cell, d => d.Value);
        Assert.All(alone, cell => Assert.True(derived.TryGetValue(cell, out var v) && v == table.Cases(cell),
            $"seed {seed}: {table.Label(cell)} ({table.Cases(cell)}) alone in an equation but not derived"));
        Assert.All(derived, d => Assert.Equal(table.Cases(d.Key), d.Value));
    }
}
