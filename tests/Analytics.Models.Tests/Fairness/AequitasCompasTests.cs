using System.Collections.Concurrent;
using Analytics.Models.Fairness;

namespace Analytics.Models.Tests.Fairness;

/// <summary>
/// The priority-list metrics and the disparities to a reference group against Aequitas' COMPAS example: the executed
/// notebook docs/source/examples/compas_demo.ipynb of the dssg/aequitas repository (commit 4dc71c69, MIT licence;
/// rendered at https://dssg.github.io/aequitas/examples/compas_demo.html), on the 7,214 people of
/// examples/data/compas_for_aequitas.csv (derived from ProPublica's COMPAS data). The input here is the notebook's
/// own crosstab — tp, fp, tn, fn per group of each attribute — not the table: one person there is one territory
/// here (score = selected, label_value = actually priority), built from those counts. Expected values are the
/// notebook's printed outputs, to 6 decimals, checked to half a unit of the 6th.
/// </summary>
/// <remarks>
/// Aequitas' names: tpr, tnr, fpr, fnr, precision, fdr, for, npv as <see cref="FairnessMetric"/>; pprev (predicted
/// positives ÷ group size) is <see cref="FairnessMetric.SelectionRate"/>; ppr (predicted positives ÷ those of all
/// groups) is <see cref="DimensionResult.ListShare"/>. A disparity, metric of the group ÷ metric of the reference
/// group, is <see cref="MetricResult.Ratio"/> (<see cref="DimensionResult.ListShareRatio"/> for ppr). The crosstab
/// is per attribute, so each attribute is audited as its own dimension.
/// </remarks>
public class AequitasCompasTests
{
    // The notebook's crosstab (aequitas.group.Group().get_crosstabs): attribute, group, tp, fp, tn, fn.
    private static readonly (string Attribute, string Group, int Tp, int Fp, int Tn, int Fn)[] Crosstab =
    [
        ("race", "African-American", 1369, 805, 990, 532),
        ("race", "Asian", 6, 2, 21, 3),
        ("race", "Caucasian", 505, 349, 1139, 461),
        ("race", "Hispanic", 103, 87, 318, 129),
        ("race", "Native American", 9, 3, 5, 1),
        ("race", "Other", 43, 36, 208, 90),
        ("sex", "Female", 303, 288, 609, 195),
        ("sex", "Male", 1732, 994, 2072, 1021),
        ("age_cat", "25 - 45", 1183, 741, 1479, 706),
        ("age_cat", "Greater than 45", 213, 181, 897, 285),
        ("age_cat", "Less than 25", 639, 360, 305, 225),
    ];

    private static readonly ConcurrentDictionary<(string, string?), DimensionResult> Audits = new();

    /// <summary>The attribute audited alone, against its largest group (Aequitas' majority group) or <paramref name="reference"/>.</summary>
    private static DimensionResult Audit(string attribute, string? reference = null) => Audits.GetOrAdd((attribute, reference), _ =>
    {
        var people = new List<TerritoryOutcome>();
        foreach (var (_, group, tp, fp, tn, fn) in Crosstab.Where(c => c.Attribute == attribute))
            foreach (var (count, selected, actual) in new[] { (tp, true, true), (fp, true, false), (tn, false, false), (fn, false, true) })
                for (var i = 0; i < count; i++)
                    people.Add(Territory.In(group, 1, 1, selected: selected, actual: actual, dimension: attribute, code: $"{group}/{people.Count}"));
        var policy = Territory.NoMinimums with
        {
            BootstrapResamples = 100,
            ReferenceGroups = reference is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [attribute] = reference },
        };
        return FairnessAudit.Run(people, policy).Dimensions.Single();
    });

    [Theory]
    // The notebook's group metrics (aequitas.group.Group().get_crosstabs), as printed:
    //                                          tpr       tnr       for       fdr       fpr       fnr       npv       precision ppr       pprev
    [InlineData("race", "African-American", 0.720147, 0.551532, 0.349540, 0.370285, 0.448468, 0.279853, 0.650460, 0.629715, 0.655412, 0.588203)]
    [InlineData("race", "Asian", 0.666667, 0.913043, 0.125000, 0.250000, 0.086957, 0.333333, 0.875000, 0.750000, 0.002412, 0.250000)]
    [InlineData("race", "Caucasian", 0.522774, 0.765457, 0.288125, 0.408665, 0.234543, 0.477226, 0.711875, 0.591335, 0.257462, 0.348003)]
    [InlineData("race", "Hispanic", 0.443966, 0.785185, 0.288591, 0.457895, 0.214815, 0.556034, 0.711409, 0.542105, 0.057281, 0.298273)]
    [InlineData("race", "Native American", 0.900000, 0.625000, 0.166667, 0.250000, 0.375000, 0.100000, 0.833333, 0.750000, 0.003618, 0.666667)]
    [InlineData("race", "Other", 0.323308, 0.852459, 0.302013, 0.455696, 0.147541, 0.676692, 0.697987, 0.544304, 0.023817, 0.209549)]
    [InlineData("sex", "Female", 0.608434, 0.678930, 0.242537, 0.487310, 0.321070, 0.391566, 0.757463, 0.512690, 0.178173, 0.423656)]
    [InlineData("sex", "Male", 0.629132, 0.675799, 0.330100, 0.364637, 0.324201, 0.370868, 0.669900, 0.635363, 0.821827, 0.468465)]
    [InlineData("age_cat", "25 - 45", 0.626257, 0.666216, 0.323112, 0.385135, 0.333784, 0.373743, 0.676888, 0.614865, 0.580042, 0.468240)]
    [InlineData("age_cat", "Greater than 45", 0.427711, 0.832096, 0.241117, 0.459391, 0.167904, 0.572289, 0.758883, 0.540609, 0.118782, 0.250000)]
    [InlineData("age_cat", "Less than 25", 0.739583, 0.458647, 0.424528, 0.360360, 0.541353, 0.260417, 0.575472, 0.639640, 0.301176, 0.653368)]
    public void group_metrics_match_aequitas_crosstabs(
        string attribute, string group, double tpr, double tnr, double @for, double fdr, double fpr, double fnr, double npv, double precision, double ppr, double pprev)
    {
        var dimension = Audit(attribute);
        var result = dimension.Groups.Single(g => g.Label == group);

        AssertPrinted(tpr, result.Metric(FairnessMetric.TruePositiveRate).Value);
        AssertPrinted(tnr, result.Metric(FairnessMetric.TrueNegativeRate).Value);
        AssertPrinted(@for, result.Metric(FairnessMetric.FalseOmissionRate).Value);
        AssertPrinted(fdr, result.Metric(FairnessMetric.FalseDiscoveryRate).Value);
        AssertPrinted(fpr, result.Metric(FairnessMetric.FalsePositiveRate).Value);
        AssertPrinted(fnr, result.Metric(FairnessMetric.FalseNegativeRate).Value);
        AssertPrinted(npv, result.Metric(FairnessMetric.NegativePredictiveValue).Value);
        AssertPrinted(precision, result.Metric(FairnessMetric.Precision).Value);
        AssertPrinted(ppr, dimension.ListShare(group));
        AssertPrinted(pprev, result.Metric(FairnessMetric.SelectionRate).Value);
    }

    [Theory]
    // aequitas.bias.Bias().get_disparity_major_group: each metric ÷ the largest group's (African-American, Male, 25 - 45).
    //                                          tpr       tnr       for       fdr       fpr       fnr       npv       precision ppr       pprev
    [InlineData("race", "African-American", 1.000000, 1.000000, 1.000000, 1.000000, 1.000000, 1.000000, 1.000000, 1.000000, 1.000000, 1.000000)]
    [InlineData("race", "Asian", 0.925737, 1.655468, 0.357613, 0.675155, 0.193897, 1.191103, 1.345202, 1.191015, 0.003680, 0.425023)]
    [InlineData("race", "Caucasian", 0.725927, 1.387874, 0.824297, 1.103650, 0.522987, 1.705274, 1.094418, 0.939052, 0.392824, 0.591638)]
    [InlineData("race", "Hispanic", 0.616493, 1.423644, 0.825630, 1.236600, 0.478997, 1.986883, 1.093702, 0.860874, 0.087397, 0.507092)]
    [InlineData("race", "Native American", 1.249744, 1.133207, 0.476817, 0.675155, 0.836180, 0.357331, 1.281145, 1.191015, 0.005520, 1.133395)]
    [InlineData("race", "Other", 0.448947, 1.545620, 0.864031, 1.230663, 0.328989, 2.418028, 1.073066, 0.864366, 0.036339, 0.356253)]
    [InlineData("sex", "Female", 0.967101, 1.004633, 0.734738, 1.336425, 0.990343, 1.055810, 1.130710, 0.806925, 0.216801, 0.904348)]
    [InlineData("sex", "Male", 1.000000, 1.000000, 1.000000, 1.000000, 1.000000, 1.000000, 1.000000, 1.000000, 1.000000, 1.000000)]
    [InlineData("age_cat", "25 - 45", 1.000000, 1.000000, 1.000000, 1.000000, 1.000000, 1.000000, 1.000000, 1.000000, 1.000000, 1.000000)]
    [InlineData("age_cat", "Greater than 45", 0.682963, 1.248989, 0.746232, 1.192804, 0.503031, 1.531238, 1.121136, 0.879232, 0.204782, 0.533914)]
    [InlineData("age_cat", "Less than 25", 1.180958, 0.688435, 1.313873, 0.935673, 1.621868, 0.696781, 0.850173, 1.040293, 0.519231, 1.395369)]
    public void ratios_to_the_largest_group_match_aequitas_disparities_to_the_majority_group(
        string attribute, string group, double tpr, double tnr, double @for, double fdr, double fpr, double fnr, double npv, double precision, double ppr, double pprev) =>
        AssertDisparities(Audit(attribute), group, tpr, tnr, @for, fdr, fpr, fnr, npv, precision, ppr, pprev);

    [Theory]
    // aequitas.bias.Bias().get_disparity_predefined_groups with ref_groups_dict race: Caucasian, sex: Male,
    // age_cat: 25 - 45 (the sex and age_cat rows are those of the majority group above).
    //                                          tpr       tnr       for       fdr       fpr       fnr       npv       precision ppr       pprev
    [InlineData("race", "African-American", 1.377549, 0.720526, 1.213154, 0.906085, 1.912093, 0.586416, 0.913728, 1.064904, 2.545667, 1.690224)]
    [InlineData("race", "Asian", 1.275248, 1.192808, 0.433839, 0.611748, 0.370749, 0.698482, 1.229148, 1.268317, 0.009368, 0.718384)]
    [InlineData("race", "Caucasian", 1.000000, 1.000000, 1.000000, 1.000000, 1.000000, 1.000000, 1.000000, 1.000000, 1.000000, 1.000000)]
    [InlineData("race", "Hispanic", 0.849249, 1.025773, 1.001616, 1.120464, 0.915887, 1.165140, 0.999346, 0.916748, 0.222482, 0.857099)]
    [InlineData("race", "Native American", 1.721584, 0.816506, 0.578453, 0.611748, 1.598854, 0.209544, 1.170618, 1.268317, 0.014052, 1.915691)]
    [InlineData("race", "Other", 0.618447, 1.113660, 1.048203, 1.115085, 0.629057, 1.417970, 0.980490, 0.920466, 0.092506, 0.602147)]
    public void ratios_to_a_chosen_reference_match_aequitas_disparities_to_predefined_groups(
        string attribute, string group, double tpr, double tnr, double @for, double fdr, double fpr, double fnr, double npv, double precision, double ppr, double pprev) =>
        AssertDisparities(Audit(attribute, "Caucasian"), group, tpr, tnr, @for, fdr, fpr, fnr, npv, precision, ppr, pprev);

    private static void AssertDisparities(
        DimensionResult dimension, string group, double tpr, double tnr, double @for, double fdr, double fpr, double fnr, double npv, double precision, double ppr, double pprev)
    {
        var result = dimension.Groups.Single(g => g.Label == group);
        AssertPrinted(tpr, result.Metric(FairnessMetric.TruePositiveRate).Ratio);
        AssertPrinted(tnr, result.Metric(FairnessMetric.TrueNegativeRate).Ratio);
        AssertPrinted(@for, result.Metric(FairnessMetric.FalseOmissionRate).Ratio);
        AssertPrinted(fdr, result.Metric(FairnessMetric.FalseDiscoveryRate).Ratio);
        AssertPrinted(fpr, result.Metric(FairnessMetric.FalsePositiveRate).Ratio);
        AssertPrinted(fnr, result.Metric(FairnessMetric.FalseNegativeRate).Ratio);
        AssertPrinted(npv, result.Metric(FairnessMetric.NegativePredictiveValue).Ratio);
        AssertPrinted(precision, result.Metric(FairnessMetric.Precision).Ratio);
        AssertPrinted(ppr, dimension.ListShareRatio(group));
        AssertPrinted(pprev, result.Metric(FairnessMetric.SelectionRate).Ratio);
    }

    /// <summary>A value printed to 6 decimals: within half a unit of the 6th (plus rounding of the double).</summary>
    private static void AssertPrinted(double printed, double? actual)
    {
        Assert.NotNull(actual);
        Assert.InRange(actual.Value, printed - 5e-7 - 1e-12, printed + 5e-7 + 1e-12);
    }
}
