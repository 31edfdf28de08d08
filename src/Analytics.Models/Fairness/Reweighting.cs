namespace Analytics.Models.Fairness;

/// <summary>
/// Mitigation at training time: per-territory weights that make a second fit pay more attention to the groups a
/// first fit under-predicts and less to those it over-predicts.
/// </summary>
/// <remarks>
/// <para><b>Rule.</b> From a first fit's outcomes, each group g of one dimension gets
/// w_g = ΣO_g / ΣE_g (its calibration), clamped to [1/<c>maximumWeight</c>, <c>maximumWeight</c>]; a group below the
/// policy's minimum territories or cases keeps weight 1 (its calibration is noise), as do territories without a label.
/// Weights are then scaled so that Σ wᵢ·Pᵢ = Σ Pᵢ: the fit's total weight (with the label = cases / exposure,
/// weight = exposure form of the Poisson model, DESIGN §10) is unchanged, only its distribution moves.</para>
/// <para><b>Why this rule and not Kamiran–Calders reweighing.</b> Kamiran &amp; Calders (2012, KAIS 33:1–33) weight
/// each (group, label) cell by P(group)·P(label) / P(group, label) so that a binary label becomes independent of the
/// group. A count model with an exposure offset has no label classes to balance, and weighting groups by their share
/// gives every row weight 1. What a Poisson fit can be steered by is its score equations,
/// Σᵢ wᵢ·xᵢ·(Oᵢ − Eᵢ) = 0: coefficients shared by all territories (deprivation, say) settle where the weighted
/// residuals cancel. Weighting by calibration moves that compromise toward the groups whose recorded cases the first
/// fit fell short of, and limits how far a group whose cases are under-recorded drags a shared coefficient down for
/// everyone else (the demo world's rural × most deprived group does exactly that, data/README.md).</para>
/// <para><b>What it cannot do.</b> Weights do not raise recorded counts: a group whose cases are under-ascertained
/// stays under-recorded, and a model fitted to those records still learns lower rates there. That needs a correction
/// of the counts (ascertainment), not of the weights; the audit after mitigation shows what remains.</para>
/// </remarks>
public static class Reweighting
{
    /// <summary>Training weights, one per territory in input order, from a first fit's outcomes.</summary>
    /// <param name="firstFit">Outcomes of the first fit (observed, its predictions, exposure, groups).</param>
    /// <param name="dimension">A dimension of the groups, or the name of one of the policy's intersections.</param>
    /// <param name="policy">Supplies the minimum territories and cases below which a group keeps weight 1.</param>
    /// <param name="maximumWeight">Largest weight (and 1/it the smallest) before normalisation; default 4.</param>
    public static double[] FromCalibration(IReadOnlyList<TerritoryOutcome> firstFit, string dimension, FairnessPolicy policy, double maximumWeight = 4)
    {
        if (!(maximumWeight >= 1 && double.IsFinite(maximumWeight)))
            throw new ArgumentOutOfRangeException(nameof(maximumWeight), maximumWeight, "must be a finite number of at least 1");
        var labels = FairnessAudit.LabelsIn(firstFit, dimension, policy);
        var groupWeights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var group in Enumerable.Range(0, firstFit.Count).Where(i => labels[i] is not null).GroupBy(i => labels[i]!))
        {
            var observed = group.Sum(i => firstFit[i].Observed);
            var predicted = group.Sum(i => firstFit[i].Predicted);
            var enough = group.Count() >= policy.MinimumTerritories && observed >= policy.MinimumObservedCases && predicted > 0;
            groupWeights[group.Key] = enough ? Math.Clamp(observed / predicted, 1 / maximumWeight, maximumWeight) : 1;
        }

        var weights = labels.Select(l => l is null ? 1 : groupWeights[l]).ToArray();
        var scale = firstFit.Sum(t => t.Exposure) / firstFit.Select((t, i) => t.Exposure * weights[i]).Sum();
        for (var i = 0; i < weights.Length; i++)
            weights[i] *= scale;
        return weights;
    }
}
