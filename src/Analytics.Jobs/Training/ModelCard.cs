using System.Globalization;
using Analytics.Jobs.FairnessReports;
using Analytics.Jobs.Features;
using Analytics.Models.Fairness;
using Analytics.Models.Modelling;
using Analytics.Models.Specifications;

namespace Analytics.Jobs.Training;

/// <summary>
/// The model card of a run (after Mitchell et al. 2019, "Model Cards for Model Reporting"): intended
/// use, data, method, metrics, limits and the fairness summary, in French and English — what a
/// reviewer reads before deciding and what an auditor checks later.
/// </summary>
public static class ModelCard
{
    public sealed record Section(string Fr, string En);

    public sealed record Card(
        Section Title, Section IntendedUse, Section NotFor, Section Data, Section Method, Section Metrics,
        IReadOnlyList<Section> Limits, Section Fairness, string DatasetVersion, IReadOnlyList<long> SourceBatches, string CodeVersion,
        Section Spatial, Section Footprint);

    /// <summary>The cross-validation of each candidate of the champion rule.</summary>
    public sealed record Candidates(CrossValidationResult Poisson, CrossValidationResult Boosted, CrossValidationResult Bym2);

    public static Card Build(ModelSpecification spec, FeatureMatrix.Data matrix, ChampionDecision decision,
        Candidates candidates,
        Bym2RiskModel bym2, IReadOnlyList<ModelTraining.SpatialEffectShare> spatialEffects,
        FairnessReport report, FairnessReport mitigated, string codeVersion, Scheduling.Footprint footprint)
    {
        var fr = CultureInfo.GetCultureInfo("fr-FR");
        var en = CultureInfo.InvariantCulture;
        var periods = matrix.Rows.Select(r => r.Period).Distinct().Order(StringComparer.Ordinal).ToList();
        var territories = matrix.Rows.Select(r => r.TerritoryId).Distinct().Count();
        var leftOut = matrix.Excluded.Sum(e => e.Value);
        var (champion, c) = decision.Champion switch
        {
            RiskModelKind.Poisson => (("régression de Poisson", "Poisson regression"), candidates.Poisson.Pooled),
            RiskModelKind.BoostedTrees => (("arbres de gradient boosting (Poisson)", "gradient-boosted trees (Poisson)"), candidates.Boosted.Pooled),
            _ => (("régression de Poisson avec effet spatial BYM2", "Poisson regression with a BYM2 spatial effect"), candidates.Bym2.Pooled),
        };
        var (sigma, phi) = (bym2.Hyperparameters[0], bym2.Hyperparameters[1]);
        // The groups the audit fails, then those whose spatial effect lies furthest from 1: where the spatial term explains most by place.
        List<(string Dimension, string Group)> Groups(Verdict verdict) =>
            [.. report.Dimensions.SelectMany(d => d.Groups.Where(g => !g.IsReference && g.Overall == verdict).Select(g => (d.Dimension, g.Label)))];
        var failingGroups = Groups(Verdict.Fail);
        var furthest = spatialEffects.Where(e => failingGroups.Contains((e.Dimension, e.Group)))
            .Concat(spatialEffects.OrderByDescending(e => Math.Abs(Math.Log(e.RelativeRisk))).Take(3)).Distinct().ToList();
        var failing = failingGroups.Select(g => FairnessTerms.GroupWords(g.Dimension, g.Group)).ToList();
        var inconclusive = Groups(Verdict.InsufficientEvidence).Select(g => FairnessTerms.GroupWords(g.Dimension, g.Group)).ToList();
        var rule = ChampionRule.Words(decision.Reason);
        return new Card(
            new Section(spec.Label.Fr, spec.Label.En),
            new Section(spec.IntendedUse.Fr, spec.IntendedUse.En),
            new Section(
                "Ne sert pas à décider pour une personne, ni à conclure à une causalité ; ne remplace pas la surveillance épidémiologique. Sorties publiées seulement après revue humaine.",
                "Not for decisions about individuals, nor for causal claims; does not replace epidemiological surveillance. Outputs are published only after human review."),
            new Section(
                string.Format(fr, "{0:N0} lignes commune × année ({1} communes, {2} à {3}) ; {4:N0} lignes écartées. Cas enregistrés (non corrigés de la sous-déclaration). Version du jeu de données {5}.",
                    matrix.Rows.Count, territories, periods[0], periods[^1], leftOut, matrix.DatasetVersion[..12]),
                string.Format(en, "{0:N0} commune × year rows ({1} communes, {2} to {3}); {4:N0} rows left out. Recorded cases (not corrected for under-ascertainment). Dataset version {5}.",
                    matrix.Rows.Count, territories, periods[0], periods[^1], leftOut, matrix.DatasetVersion[..12])),
            new Section(
                $"Modèle retenu : {champion.Item1} ({rule.Fr}). Validation croisée spatiale par blocs de {ModelTraining.BlockSizeMetres / 1000:0} km en {spec.Folds} plis. Covariables : {string.Join(", ", spec.Features)}. Décalage : {(spec.Exposure == ExposureKind.Expected ? "cas attendus (standardisation indirecte)" : "population")}.",
                $"Champion: {champion.Item2} ({rule.En}). Spatially blocked cross-validation, {ModelTraining.BlockSizeMetres / 1000:0} km blocks, {spec.Folds} folds. Covariates: {string.Join(", ", spec.Features)}. Offset: {(spec.Exposure == ExposureKind.Expected ? "expected cases (indirect standardisation)" : "population")}."),
            new Section(
                string.Format(fr, "Hors échantillon : déviance de Poisson moyenne {0:F3}, pente de calibration {1:F2}, ordonnée {2:F2}, corrélation des rangs {3:F2}, EAM des taux {4:F1} pour 100 000.", c.MeanPoissonDeviance, c.CalibrationSlope, c.CalibrationIntercept, c.SpearmanRank, c.MaeRatePer100000),
                string.Format(en, "Out of fold: mean Poisson deviance {0:F3}, calibration slope {1:F2}, intercept {2:F2}, rank correlation {3:F2}, MAE of rates {4:F1} per 100,000.", c.MeanPoissonDeviance, c.CalibrationSlope, c.CalibrationIntercept, c.SpearmanRank, c.MaeRatePer100000)),
            [
                new Section("Les cas enregistrés dépendent de l'accès aux soins : là où des cas ne sont pas enregistrés, le modèle apprend un risque trop bas.",
                    "Recorded cases depend on access to care: where cases go unrecorded, the model learns too low a risk."),
                new Section("Associations, pas causes : un rapport de taux mesure une association ajustée sur les seules covariables du modèle.",
                    "Associations, not causes: a rate ratio measures an association adjusted for the model's covariates only."),
                new Section("Les expositions sont des moyennes communales interpolées : l'exposition des personnes varie à l'intérieur d'une commune.",
                    "Exposures are interpolated commune means: people's exposure varies within a commune."),
            ],
            new Section(
                $"Verdict d'équité : {Verdicts.Label(report.Overall).Fr} ; après repondération : {Verdicts.Label(mitigated.Overall).Fr}."
                    + (failing.Count > 0 ? $" Groupes non conformes : {string.Join(" ; ", failing.Select(g => g.Fr))}." : "")
                    + (inconclusive.Count > 0 ? $" Preuves insuffisantes : {string.Join(" ; ", inconclusive.Select(g => g.Fr))}." : ""),
                $"Fairness verdict: {Verdicts.Label(report.Overall).En}; after reweighting: {Verdicts.Label(mitigated.Overall).En}."
                    + (failing.Count > 0 ? $" Failing groups: {string.Join("; ", failing.Select(g => g.En))}." : "")
                    + (inconclusive.Count > 0 ? $" Insufficient evidence: {string.Join("; ", inconclusive.Select(g => g.En))}." : "")),
            matrix.DatasetVersion,
            matrix.SourceBatches,
            codeVersion,
            new Section(
                string.Format(fr, "Modèle spatial BYM2 (Riebler et al. 2016, approximation de Laplace) : écart-type de l'effet spatial σ = {0:F3} (écart-type a posteriori {1:F3}), part structurée φ = {2:F2} ({3:F2}) ; déviance hors échantillon {4:F3} contre {5:F3} pour la régression de Poisson. Ce que l'effet spatial a pris, par groupe (risque relatif moyen) : {6}. Un effet inférieur à 1 dans un groupe sous-enregistré explique par le lieu une partie des cas manquants. {7}",
                    sigma.Mean, sigma.StandardDeviation, phi.Mean, phi.StandardDeviation, candidates.Bym2.Pooled.MeanPoissonDeviance, candidates.Poisson.Pooled.MeanPoissonDeviance,
                    string.Join(" ; ", furthest.Select(e => string.Format(fr, "{0} : {1:F3}", FairnessTerms.GroupWords(e.Dimension, e.Group).Fr, e.RelativeRisk))),
                    bym2.VarianceBlocks > 0
                        ? string.Format(fr, "Intervalles des coefficients : le plus large de l'intervalle a posteriori et de l'intervalle robuste par blocs ({0} blocs de {1:0} km), qui ne suppose pas que l'effet spatial suit le modèle.", bym2.VarianceBlocks, ModelTraining.BlockSizeMetres / 1000)
                        : string.Format(fr, "Intervalles des coefficients : a posteriori seulement (moins de {0} blocs pour un intervalle robuste) ; ils supposent que l'effet spatial suit le modèle.", Bym2RiskModel.MinimumVarianceBlocks)),
                string.Format(en, "BYM2 spatial model (Riebler et al. 2016, Laplace approximation): spatial effect sd σ = {0:F3} (posterior sd {1:F3}), structured share φ = {2:F2} ({3:F2}); out-of-fold deviance {4:F3} against {5:F3} for the Poisson regression. What the spatial effect took, by group (mean relative risk): {6}. An effect below 1 in an under-recorded group explains part of the missing cases by place. {7}",
                    sigma.Mean, sigma.StandardDeviation, phi.Mean, phi.StandardDeviation, candidates.Bym2.Pooled.MeanPoissonDeviance, candidates.Poisson.Pooled.MeanPoissonDeviance,
                    string.Join("; ", furthest.Select(e => string.Format(en, "{0}: {1:F3}", FairnessTerms.GroupWords(e.Dimension, e.Group).En, e.RelativeRisk))),
                    bym2.VarianceBlocks > 0
                        ? string.Format(en, "Coefficient intervals: the wider of the posterior interval and the block-robust one ({0} blocks of {1:0} km), which does not assume the spatial effect follows the model.", bym2.VarianceBlocks, ModelTraining.BlockSizeMetres / 1000)
                        : string.Format(en, "Coefficient intervals: posterior only (fewer than {0} blocks for a robust interval); they assume the spatial effect follows the model.", Bym2RiskModel.MinimumVarianceBlocks))),
            new Section(
                string.Format(fr, "Empreinte du calcul : {0:N0} s écoulées, {1:N0} s de processeur, mémoire de pointe {2:N0} Mio, énergie estimée {3:N2} Wh (méthode Green Algorithms, Lannelongue et al. 2021 : {4} W par cœur, {5} W par Go de mémoire, PUE {6}).",
                    footprint.WallSeconds, footprint.CpuSeconds, footprint.PeakMemoryBytes / 1048576.0, footprint.EnergyWattHours,
                    Scheduling.Footprint.WattsPerCore, Scheduling.Footprint.WattsPerGigabyte, Scheduling.Footprint.PowerUsageEffectiveness),
                string.Format(en, "Computing footprint: {0:N0} s elapsed, {1:N0} s of CPU, peak memory {2:N0} MiB, estimated energy {3:N2} Wh (Green Algorithms method, Lannelongue et al. 2021: {4} W per core, {5} W per GB of memory, PUE {6}).",
                    footprint.WallSeconds, footprint.CpuSeconds, footprint.PeakMemoryBytes / 1048576.0, footprint.EnergyWattHours,
                    Scheduling.Footprint.WattsPerCore, Scheduling.Footprint.WattsPerGigabyte, Scheduling.Footprint.PowerUsageEffectiveness)));
    }
}
