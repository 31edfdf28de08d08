using Analytics.Models.Modelling;

namespace Analytics.Models.Planning;

/// <summary>
/// Health impact assessment of an exposure reduction: how many of the predicted cases would not occur if
/// exposure fell, under the log-linear association of the model (or of a literature concentration–response).
/// </summary>
/// <remarks>
/// <para>The result is an association carried through the model's assumptions (log-linear dose–response,
/// no unmeasured confounding, the association transportable to the reduced exposure), not a measured effect
/// of any intervention; it should be presented as such.</para>
/// <para>With rate ratio e^(−βΔ) after a reduction Δ, the cases avoided in a territory are μ(1 − e^(−βΔ)).
/// For Δ ≥ 0 this is increasing in β, and so is the total, so the interval at level L is
/// [f(β − z·se), f(β + z·se)] with z the (1 + L)/2 normal quantile: exact when β̂ is normal, with no delta
/// method. Only the association's uncertainty is carried: μ is taken as given. A lower limit below 0 means
/// the data are compatible with no benefit.</para>
/// </remarks>
public static class ExposureScenario
{
    /// <summary>Avoided cases per territory and in total.</summary>
    /// <param name="territories">The territories (codes unique, exposure ≥ 0, μ ≥ 0).</param>
    /// <param name="reduction">The exposure reduction applied to included territories.</param>
    /// <param name="association">β per unit of exposure and its standard error.</param>
    /// <param name="level">Confidence level of the intervals, strictly between 0 and 1.</param>
    public static ExposureScenarioResult Run(
        IEnumerable<ExposureTerritory> territories,
        ExposureReduction reduction,
        ExposureAssociation association,
        double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(territories);
        ArgumentNullException.ThrowIfNull(reduction);
        ArgumentNullException.ThrowIfNull(association);
        if (!(level > 0 && level < 1))
            throw new ArgumentOutOfRangeException(nameof(level), level, "must lie strictly between 0 and 1");
        if (!double.IsFinite(association.Beta) || !(association.StandardError >= 0) || double.IsInfinity(association.StandardError))
            throw new ArgumentException($"association β = {association.Beta}, se = {association.StandardError}: need a finite β and a finite se ≥ 0", nameof(association));

        var list = territories.OrderBy(t => t.Code, StringComparer.Ordinal).ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var t = list[i];
            if (i > 0 && list[i - 1].Code == t.Code)
                throw new ArgumentException($"territory '{t.Code}' appears twice", nameof(territories));
            if (!(t.PredictedCases >= 0) || double.IsInfinity(t.PredictedCases) || !(t.Exposure >= 0) || double.IsInfinity(t.Exposure))
                throw new ArgumentException($"territory '{t.Code}' has μ = {t.PredictedCases}, exposure = {t.Exposure}: both must be non-negative numbers", nameof(territories));
        }

        var half = StandardNormal.Quantile((1 + level) / 2) * association.StandardError;
        var (beta, low, high) = (association.Beta, association.Beta - half, association.Beta + half);
        var avoided = list.Select(t =>
        {
            var delta = t.Included ? reduction.For(t.Exposure) : 0;
            double F(double b) => t.PredictedCases * (1 - Math.Exp(-b * delta));
            return new AvoidedCases(t.Code, delta, F(beta), F(low), F(high));
        }).ToList();
        return new ExposureScenarioResult(avoided, avoided.Sum(a => a.Avoided), avoided.Sum(a => a.Low), avoided.Sum(a => a.High), level);
    }
}
