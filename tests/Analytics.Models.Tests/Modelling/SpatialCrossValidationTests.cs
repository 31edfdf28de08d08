using Analytics.Models.Modelling;

namespace Analytics.Models.Tests.Modelling;

public class SpatialCrossValidationTests
{
    [Fact]
    public void each_row_is_predicted_once_by_a_model_that_saw_none_of_its_block()
    {
        var data = SimulatedTerritories.Create(side: 30, seed: 2, periods: 2);
        var folds = SpatialBlocks.AssignFolds(data, folds: 5, seed: 3);
        var trainedOn = new List<HashSet<string>>();

        var result = SpatialCrossValidation.Run(data, folds, training =>
        {
            trainedOn.Add(training.Rows.Select(r => r.Block).ToHashSet());
            return PoissonRiskModel.Train(training);
        });

        Assert.Equal(5, trainedOn.Count);
        for (var f = 0; f < 5; f++)
        {
            var tested = folds.RowsIn(f).Select(i => data.Rows[i].Block).ToHashSet();
            Assert.Empty(tested.Intersect(trainedOn[f]));
            Assert.Equal(folds.FoldOfBlock.Count, tested.Count + trainedOn[f].Count);
        }
        Assert.All(result.OutOfFold, mu => Assert.True(mu > 0));
        Assert.Equal(data.Count, result.PerFold.Sum(m => m.Rows));
        Assert.Equal(ModelMetrics.Compute(data, result.OutOfFold), result.Pooled);
    }

    [Fact]
    public void out_of_fold_predictions_of_a_correct_model_are_calibrated()
    {
        // The Poisson model is the generating model here: its out-of-fold predictions should be calibrated
        // (slope and O/E near 1; with ~3,600 territories their standard errors are a few hundredths) and its
        // out-of-fold Pearson dispersion near 1.
        var data = SimulatedTerritories.Create(side: 60, seed: 4, medianPopulation: 10_000);
        var folds = SpatialBlocks.AssignFolds(data, folds: 5, seed: 3);

        var result = SpatialCrossValidation.Run(data, folds, d => PoissonRiskModel.Train(d));

        Assert.InRange(result.Pooled.CalibrationSlope, 0.9, 1.1);
        Assert.InRange(result.Pooled.ObservedOverExpected, 0.97, 1.03);
        Assert.InRange(result.Dispersion, 0.9, 1.15);
    }

    [Fact]
    public void permutation_importance_ranks_the_real_effects_above_the_noise_feature_and_repeats_exactly()
    {
        // True effects: deprivation 0.2 per sd (the largest), pm25 0.04 per unit with sd ≈ 2.6, noise 0.
        var data = SimulatedTerritories.Create(side: 40, seed: 6, medianPopulation: 10_000);
        var folds = SpatialBlocks.AssignFolds(data, folds: 4, seed: 3);

        var first = SpatialCrossValidation.Run(data, folds, d => PoissonRiskModel.Train(d), importanceRepeats: 3, seed: 9);
        var second = SpatialCrossValidation.Run(data, folds, d => PoissonRiskModel.Train(d), importanceRepeats: 3, seed: 9);

        var importance = first.Importance.ToDictionary(i => i.Feature, i => i.DevianceIncrease);
        Assert.Equal(SimulatedTerritories.FeatureNames, first.Importance.Select(i => i.Feature));
        Assert.True(importance["deprivation"] > importance["pm25"], string.Join(", ", importance));
        Assert.True(importance["pm25"] > 0.05, string.Join(", ", importance));
        Assert.True(Math.Abs(importance["noise"]) < importance["pm25"] / 10, string.Join(", ", importance));
        Assert.Equal(first.Importance, second.Importance);
    }

    [Fact]
    public void permutation_importance_on_held_out_rows_is_large_for_a_real_effect_and_near_zero_for_noise()
    {
        // A model whose noise coefficient is estimated near 0 barely moves when noise is shuffled, while
        // shuffling deprivation costs deviance; both seeded.
        var data = SimulatedTerritories.Create(side: 30, seed: 7, medianPopulation: 10_000);
        var heldOut = SimulatedTerritories.Create(side: 30, seed: 8, medianPopulation: 10_000);
        var model = PoissonRiskModel.Train(data);

        var importance = PermutationImportance.Compute(model, heldOut, repeats: 5, seed: 1);

        Assert.Equal(importance, PermutationImportance.Compute(model, heldOut, repeats: 5, seed: 1));
        Assert.True(importance[1].DevianceIncrease > 10 * Math.Abs(importance[2].DevianceIncrease), string.Join(", ", importance));
        Assert.True(importance[1].StandardDeviation < importance[1].DevianceIncrease / 2, string.Join(", ", importance));
    }
}
