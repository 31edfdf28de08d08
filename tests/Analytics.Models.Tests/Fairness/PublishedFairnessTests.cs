using System.Text.Json;
using System.Text.Json.Serialization;
using Analytics.Models.Fairness;
using Analytics.Models.Secrecy;
using Analytics.Testing.Secrecy;

namespace Analytics.Models.Tests.Fairness;

/// <summary>
/// The analyst-facing fairness report (<see cref="PublishedFairness"/>) on a simulated world of 600 territories in
/// which one intersection (urban × 1) holds a single territory and 12 territories are overseas: what it withholds, and
/// that the published sums let a reader (the linear-programming oracle through <see cref="PublishedSumsAttack"/>)
/// pin no count of 1 to 10 — where the whole report does.
/// </summary>
public class PublishedFairnessTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private const string Cells = "density_class × deprivation_quintile";

    private static readonly FairnessPolicy Policy = new() { BootstrapResamples = 200 };

    /// <summary>The world's audit inputs: the single territory of urban × 1 has 7 recorded cases.</summary>
    private static List<TerritoryOutcome> World()
    {
        var world = SimulatedWorld.Generate(600, seed: 11);
        var outcomes = world.Outcomes(world.TrueExpected);
        var lone = outcomes.FindIndex(t => t.Groups[FairnessDimensions.DensityClass] == "urban" && t.Groups[FairnessDimensions.DeprivationQuintile] == "1");
        return outcomes.Select((t, i) =>
        {
            var groups = new Dictionary<string, string>(t.Groups)
            {
                [FairnessDimensions.TerritoryType] = i % 50 == 0 ? FairnessDimensions.Overseas : FairnessDimensions.Mainland,
            };
            if (i == lone)
                return t with { Observed = 7, Groups = groups };
            if (groups[FairnessDimensions.DensityClass] == "urban" && groups[FairnessDimensions.DeprivationQuintile] == "1")
                groups[FairnessDimensions.DeprivationQuintile] = "2";
            return t with { Groups = groups };
        }).ToList();
    }

    private static List<PublishedSumsAttack.Territory> Known(IEnumerable<TerritoryOutcome> outcomes) =>
        outcomes.Select(t => new PublishedSumsAttack.Territory(t.Code, t.Groups, t.Predicted, t.Observed)).ToList();

    private static List<(string, string)> Groups(FairnessReport report) =>
        report.Dimensions.SelectMany(d => d.Groups.Select(g => (d.Dimension, g.Label))).ToList();

    [Fact]
    public void a_group_of_one_territory_is_shown_as_insufficient_with_its_verdicts_and_without_its_figures()
    {
        var outcomes = World();
        var report = FairnessAudit.Run(outcomes, Policy);

        var view = PublishedFairness.Protect(report, outcomes, SecrecyRule.Default).View(report);

        var lone = view.Group(Cells, "urban × 1");
        Assert.Equal(1, lone.Territories);
        Assert.Equal(Withholding.TooFewTerritories, lone.Withheld);
        Assert.Null(lone.Sums);
        Assert.All(lone.Metrics, m => Assert.True(m.Value is null && m.ValueInterval is null && m.Ratio is null && m.RatioInterval is null && m.ReferenceValue is null));
        Assert.Equal(report.Group(Cells, "urban × 1").Metrics.Select(m => m.Verdict), lone.Metrics.Select(m => m.Verdict));
        Assert.Equal(Verdict.InsufficientEvidence, lone.Overall);
        var overseas = view.Group(FairnessDimensions.TerritoryType, FairnessDimensions.Overseas);
        Assert.Equal(Withholding.TooFewTerritories, overseas.Withheld);
        // The overseas group withheld, its complement would give it back: mainland or the total goes too.
        Assert.True(view.Group(FairnessDimensions.TerritoryType, FairnessDimensions.Mainland).Sums is null || view.ObservedCases is null);
        // Large groups are shown, mean absolute error never (Σ|O − E| differences like a count).
        var urban = view.Group(FairnessDimensions.DensityClass, "urban");
        Assert.Equal(report.Group(FairnessDimensions.DensityClass, "urban").Sums, urban.Sums);
        Assert.NotNull(urban.Metric(FairnessMetric.Calibration).Value);
        Assert.All(view.Dimensions.SelectMany(d => d.Groups), g => Assert.Null(g.Metric(FairnessMetric.MeanAbsoluteError).Value));
        Assert.True(view.Restricted);
    }

    [Fact]
    public void the_spreads_between_groups_are_published_only_for_a_dimension_wholly_shown_and_never_for_the_mean_absolute_error()
    {
        var outcomes = World();
        var report = FairnessAudit.Run(outcomes, Policy);

        var view = PublishedFairness.Protect(report, outcomes, SecrecyRule.Default).View(report);

        // The lone territory's cell is withheld: a spread over every cell would bound its value.
        Assert.Null(view.Dimensions.Single(d => d.Dimension == Cells).Spreads);
        var shown = view.Dimensions.Where(d => d.Groups.All(g => g.Withheld == Withholding.None)).ToList();
        Assert.NotEmpty(shown);
        Assert.All(shown, d =>
        {
            var whole = report.Dimensions.Single(r => r.Dimension == d.Dimension).Spreads;
            Assert.Equal(whole.Metric(FairnessMetric.Calibration), d.Spreads!.Metric(FairnessMetric.Calibration));
            Assert.Equal(whole.EqualisedOdds(), d.Spreads.EqualisedOdds());
            Assert.Equal(default, d.Spreads.Metric(FairnessMetric.MeanAbsoluteError).BetweenGroups);
            Assert.Equal(default, d.Spreads.Metric(FairnessMetric.MeanAbsoluteError).ToOverall);
        });
        Assert.Equal(report.Dimensions.Select(d => d.Spreads.Metrics.Count), FairnessView.Unrestricted(report).Dimensions.Select(d => d.Spreads!.Metrics.Count));
    }

    [Fact]
    public void the_published_view_carries_no_territory_code_and_its_sums_pin_no_count_of_one_to_ten_where_the_whole_report_does()
    {
        var outcomes = World();
        var report = FairnessAudit.Run(outcomes, Policy);
        var published = PublishedFairness.Protect(report, outcomes, SecrecyRule.Default);
        Assert.True(published.Outcome.IsProtected, published.Outcome.Unresolved.ToString());

        var json = JsonSerializer.Serialize(published.View(report), Json);
        var whole = JsonSerializer.Serialize(FairnessView.Unrestricted(report), Json);

        Assert.Empty(PublishedSumsAttack.CodesIn(json, outcomes.Select(t => t.Code)));
        using var view = JsonDocument.Parse(json);
        Assert.Empty(PublishedSumsAttack.DifferencingBreaches(Known(outcomes), Groups(report), PublishedSumsAttack.SumsIn(view.RootElement), SecrecyRule.Default));
        // The attack can fail: on the whole report it recovers the lone territory's 7 cases exactly.
        using var full = JsonDocument.Parse(whole);
        var breaches = PublishedSumsAttack.DifferencingBreaches(Known(outcomes), Groups(report), PublishedSumsAttack.SumsIn(full.RootElement), SecrecyRule.Default);
        var lone = outcomes.Single(t => t.Groups[FairnessDimensions.DensityClass] == "urban" && t.Groups[FairnessDimensions.DeprivationQuintile] == "1");
        Assert.Contains($"territory {lone.Code} (true count 7): [7, 7]", breaches);
    }

    [Fact]
    public void a_withheld_group_cannot_be_recovered_from_its_margin_even_when_its_neighbours_are_large()
    {
        // Quintile 1 of urban is a lone territory; every other urban cell is large. Without a complementary
        // suppression, urban − Σ other urban cells would give the lone territory's count.
        var outcomes = World();
        var report = FairnessAudit.Run(outcomes, Policy);

        var published = PublishedFairness.Protect(report, outcomes, SecrecyRule.Default);

        var urbanRow = new[] { "urban × 2", "urban × 3", "urban × 4", "urban × 5" }.Select(l => published.Of(Cells, l))
            .Append(published.Of(FairnessDimensions.DensityClass, "urban"));
        Assert.Contains(Withholding.Complementary, urbanRow);
        var quintileColumn = new[] { "intermediate × 1", "rural × 1" }.Select(l => published.Of(Cells, l))
            .Append(published.Of(FairnessDimensions.DeprivationQuintile, "1"));
        Assert.Contains(Withholding.Complementary, quintileColumn);
    }

    [Fact]
    public void the_reweighted_report_of_the_same_territories_gets_the_same_pattern_and_another_world_is_refused()
    {
        var outcomes = World();
        var report = FairnessAudit.Run(outcomes, Policy);
        var reweighted = FairnessAudit.Run(outcomes.Select(t => t with { Predicted = t.Predicted * 1.1 }).ToList(), Policy);
        var published = PublishedFairness.Protect(report, outcomes, SecrecyRule.Default);

        var before = published.View(report);
        var after = published.View(reweighted);

        Assert.Equal(before.Dimensions.SelectMany(d => d.Groups.Select(g => g.Withheld)), after.Dimensions.SelectMany(d => d.Groups.Select(g => g.Withheld)));
        var comparison = published.View(FairnessComparison.Between(report, reweighted));
        Assert.All(comparison.Changes.Where(c => published.Of(c.Dimension, c.Group) != Withholding.None), c => Assert.True(c.RatioBefore is null && c.RatioAfter is null));
        Assert.Contains(comparison.Changes, c => c.RatioBefore is not null);
        var other = FairnessAudit.Run(outcomes.Select(t => t with { Observed = t.Observed + 1 }).ToList(), Policy);
        Assert.Throws<ArgumentException>(() => published.View(other));
    }

    [Fact]
    public void a_withheld_reference_group_takes_every_ratio_of_its_dimension_with_it()
    {
        // Two zones: the reference (the larger by territories) has too few cases to be shown.
        var outcomes = Enumerable.Range(0, 30).Select(i => Territory.In("a", 1, 1.2, code: $"A{i:D2}"))
            .Concat(Enumerable.Range(0, 25).Select(i => Territory.In("b", 40, 38, code: $"B{i:D2}")))
            .ToList();
        var policy = Territory.NoMinimums with { MinimumTerritories = 20, MinimumObservedCases = 50 };
        var report = FairnessAudit.Run(outcomes, policy);
        Assert.Equal("a", report.Dimensions[0].ReferenceGroup);

        var view = PublishedFairness.Protect(report, outcomes, SecrecyRule.Default).View(report);

        Assert.Equal(Withholding.TooFewCases, view.Group("zone", "a").Withheld);
        var b = view.Group("zone", "b");
        // b itself would be shown, but with the total it gives a back: both withheld, or the total.
        Assert.True(b.Sums is null || view.ObservedCases is null);
        Assert.All(b.Metrics, m => Assert.True(m.Ratio is null && m.ReferenceValue is null));
        Assert.Equal(report.Group("zone", "b").Metrics.Select(m => m.Verdict), b.Metrics.Select(m => m.Verdict));
        Assert.Equal(30, view.Group("zone", "a").Territories);
    }
}
