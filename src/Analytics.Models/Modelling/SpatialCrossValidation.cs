namespace Analytics.Models.Modelling;

/// <summary>
/// Spatially blocked k-fold cross-validation: for every fold, a model trained on the other folds
/// predicts the fold's rows. Every row gets exactly one out-of-fold prediction, from a model that
/// saw none of its block (see <see cref="SpatialBlocks"/>).
/// </summary>
public static class SpatialCrossValidation
{
    /// <summary>Runs <paramref name="train"/> once per fold of <paramref name="folds"/>.</summary>
    /// <param name="data">All rows; <paramref name="folds"/> must have been assigned on this data set.</param>
    /// <param name="folds">From <see cref="SpatialBlocks.AssignFolds"/>.</param>
    /// <param name="train">The learner, e.g. <c>d =&gt; PoissonRiskModel.Train(d)</c>.</param>
    /// <param name="importanceRepeats">Shuffles per feature for out-of-fold permutation importance; 0 skips it.</param>
    /// <param name="seed">Seed of the permutations.</param>
    public static CrossValidationResult Run(
        ModelDataset data, FoldAssignment folds, Func<ModelDataset, IRiskModel> train, int importanceRepeats = 0, ulong seed = 1)
    {
        if (folds.FoldOfRow.Count != data.Count)
            throw new ArgumentException($"the folds were assigned for {folds.FoldOfRow.Count} rows, the data have {data.Count}");
        var outOfFold = new double[data.Count];
        var perFold = new ModelMetrics[folds.FoldCount];
        var p = data.FeatureNames.Count;
        var importance = Enumerable.Range(0, p).Select(_ => new double[importanceRepeats]).ToArray();
        for (var f = 0; f < folds.FoldCount; f++)
        {
            var testRows = folds.RowsIn(f);
            var test = data.Subset(testRows);
            var model = train(data.Subset(folds.RowsOutside(f)));
            var mu = model.ExpectedCases(test);
            for (var k = 0; k < testRows.Length; k++)
                outOfFold[testRows[k]] = mu[k];
            perFold[f] = ModelMetrics.Compute(test, mu);
            if (importanceRepeats > 0)
            {
                var increases = PermutationImportance.TotalIncreases(model, test, importanceRepeats, seed, FormattableString.Invariant($"fold {f}"));
                for (var j = 0; j < p; j++)
                    for (var r = 0; r < importanceRepeats; r++)
                        importance[j][r] += increases[j][r];
            }
        }

        var pearson = 0.0;
        for (var i = 0; i < outOfFold.Length; i++)
            pearson += (data.Rows[i].Cases - outOfFold[i]) * (data.Rows[i].Cases - outOfFold[i]) / outOfFold[i];
        return new CrossValidationResult(
            folds,
            outOfFold,
            perFold,
            ModelMetrics.Compute(data, outOfFold),
            pearson / data.Count,
            importanceRepeats > 0 ? PermutationImportance.Summarise(data.FeatureNames, importance, data.Count) : []);
    }
}

/// <summary>What a spatial cross-validation measured.</summary>
/// <param name="Folds">The fold of every row.</param>
/// <param name="OutOfFold">Expected cases μ of every row (data set order), from the model that did not see its fold.</param>
/// <param name="PerFold">Metrics of each fold's predictions.</param>
/// <param name="Pooled">Metrics of all out-of-fold predictions together: what <see cref="ChampionRule"/> compares.</param>
/// <param name="Dispersion">Out-of-fold Pearson χ² / n: the spread of new counts around predictions, model error included; use it for intervals.</param>
/// <param name="Importance">
/// Out-of-fold permutation importance: the rise of the pooled mean deviance when a feature is shuffled
/// within each fold's test rows (empty when not asked for).
/// </param>
public sealed record CrossValidationResult(
    FoldAssignment Folds,
    IReadOnlyList<double> OutOfFold,
    IReadOnlyList<ModelMetrics> PerFold,
    ModelMetrics Pooled,
    double Dispersion,
    IReadOnlyList<FeatureImportance> Importance);
