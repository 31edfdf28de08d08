using Analytics.Models.Randomness;
using Analytics.Models.Secrecy;

namespace Analytics.Models.Tests.Secrecy;

/// <summary>
/// Random hierarchical tables (région ⊃ départements ⊃ EPCI ⊃ communes, × sex, × age band, and
/// sometimes × period), every margin published, counts skewed towards the small values the rule
/// is about, populations published; seeded so any failure replays.
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
        var table = RandomTable(seed);
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
        var report = AttackAuditor.Audit(result.AsPublished(), table.Relations(), rule);
        Assert.True(report.Disclosures.Count == 0, $"seed {seed}: {report}");
        Assert.All(report.NarrowIntervals, n => Assert.False(result.Status(n.Cell).IsSensitive(), $"seed {seed}: {n}"));
        for (var cell = 0; cell < table.CellCount; cell++)
            Assert.Equal(result.Cases(cell).State == PublicationState.Suppressed, result.Rate(cell).State == PublicationState.Suppressed);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void with_primary_suppression_only_the_auditor_names_every_small_cell_left_alone_in_an_equation(ulong seed)
    {
        var table = RandomTable(seed);
        var rule = SecrecyRule.Default;
        var primary = Enumerable.Range(0, table.CellCount)
            .Where(c => rule.PrimaryStatus(table.Cases(c), table.Population(c)).IsSuppressed())
            .ToHashSet();
        var published = Enumerable.Range(0, table.CellCount)
            .Select(c => new AuditCell(table.Label(c), primary.Contains(c) ? Published<long>.Suppressed : Published.Of(table.Cases(c)), table.Population(c)))
            .ToList();
        var relations = table.Relations();
        var alone = relations.Select(r => r.Terms.Where(t => primary.Contains(t.Cell)).Select(t => t.Cell).ToList())
            .Where(cells => cells.Count == 1).Select(cells => cells[0]).ToHashSet();

        var report = AttackAuditor.Audit(published, relations, rule);

        var derived = report.Disclosures.ToDictionary(d => d.Cell, d => d.Value);
        Assert.All(alone, cell => Assert.True(derived.TryGetValue(cell, out var v) && v == table.Cases(cell),
            $"seed {seed}: {table.Label(cell)} ({table.Cases(cell)}) alone in an equation but not derived"));
        Assert.All(derived, d => Assert.Equal(table.Cases(d.Key), d.Value));
    }

    internal static CountTable RandomTable(ulong seed)
    {
        var random = SeededRandom.Derive(seed, "secrecy-property-table");
        var links = new List<(string, string)>();
        var departements = 1 + random.NextInt(2);
        for (var d = 0; d < departements; d++)
        {
            var dep = $"D{d}";
            links.Add((dep, "R"));
            var epcis = 1 + random.NextInt(3);
            for (var e = 0; e < epcis; e++)
            {
                var epci = $"{dep}E{e}";
                links.Add((epci, dep));
                var communes = 1 + random.NextInt(3);
                for (var c = 0; c < communes; c++)
                    links.Add(($"{epci}C{c}", epci));
            }
        }
        var dimensions = new List<Dimension>
        {
            Dimension.Tree("territory", links),
            Dimension.Flat("sex", "all", "F", "M"),
            Dimension.Flat("age", "all", "0-14", "15-64", "65+"),
        };
        if (random.NextBernoulli(0.5))
            dimensions.Add(Dimension.Flat("period", "2019-2020", "2019", "2020"));

        // One draw per leaf, in cell order (the population is asked for right after the cases).
        var population = new Dictionary<string, long>();
        return CountTable.FromLeaves(dimensions, key =>
        {
            var n = random.NextPoisson(Math.Exp(random.NextGaussian(1.0, 1.3)));
            population[string.Join("|", key)] = random.NextBernoulli(0.05)
                ? n + 1 + random.NextInt(6)                      // almost everyone is a case: a small complement
                : n + random.NextPoisson(Math.Exp(random.NextGaussian(5.5, 1.2)));
            return n;
        }, key => population[string.Join("|", key)]);
    }
}
