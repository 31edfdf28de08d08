using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Analytics.Models.Modelling;

/// <summary>
/// The challenger: gradient-boosted regression trees with a Poisson loss and a log exposure
/// offset — ML.NET's FastTree Tweedie trainer with index 1 (Yang, Qian &amp; Zou 2018, "Insurance
/// premium prediction via gradient tree-boosted Tweedie compound Poisson models", J Bus Econ Stat
/// 36:456–470; index 1 is the Poisson case). log μ = log(exposure) + Σ trees(x).
/// </summary>
/// <remarks>
/// <para>Offset by the rate label with exposure weight (see <see cref="MlNetData"/>); FastTree's leaf
/// values are then the weighted Poisson optimum log(Σ w y / Σ w e^score) of each leaf.</para>
/// <para>Hyper-parameters: <see cref="BoostedRiskOptions"/>; no bagging, no feature subsampling, one
/// thread: training is deterministic.</para>
/// </remarks>
public sealed class BoostedRiskModel : IRiskModel
{
    private readonly MLContext _ml;
    private readonly ITransformer _transformer;
    private readonly DataViewSchema _inputSchema;
    private readonly double _rateScale;

    private BoostedRiskModel(MLContext ml, ITransformer transformer, DataViewSchema inputSchema, IReadOnlyList<string> featureNames, double rateScale, double dispersion)
    {
        _ml = ml;
        _transformer = transformer;
        _inputSchema = inputSchema;
        FeatureNames = featureNames;
        _rateScale = rateScale;
        Dispersion = dispersion;
    }

    public RiskModelKind Kind => RiskModelKind.BoostedTrees;

    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>
    /// Pearson χ² / n on the training rows. Trees fit their training rows closely, so this understates
    /// the spread of new counts: prefer <see cref="CrossValidationResult.Dispersion"/> for intervals.
    /// </summary>
    public double Dispersion { get; }

    /// <summary>Trains the model on <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The data have no cases.</exception>
    public static BoostedRiskModel Train(ModelDataset data, BoostedRiskOptions? options = null)
    {
        options ??= new BoostedRiskOptions();
        var ml = new MLContext(options.Seed);
        var rateScale = MlNetData.RateScale(data);
        var view = MlNetData.View(ml, data, rateScale, (row, j) => row.Features[j]);
        var trainer = ml.Regression.Trainers.FastTreeTweedie(new FastTreeTweedieTrainer.Options
        {
            LabelColumnName = MlNetData.Label,
            FeatureColumnName = MlNetData.Features,
            ExampleWeightColumnName = MlNetData.Weight,
            Index = 1,
            NumberOfTrees = options.Trees,
            NumberOfLeaves = options.Leaves,
            LearningRate = options.LearningRate,
            MinimumExampleCountPerLeaf = options.MinimumRowsPerLeaf,
            FeatureFraction = 1,
            BaggingSize = 0,
            NumberOfThreads = 1,
            Seed = options.Seed,
        });
        var transformer = trainer.Fit(view);
        var model = new BoostedRiskModel(ml, transformer, view.Schema, data.FeatureNames, rateScale, double.NaN);
        var mu = model.ExpectedCases(data);
        var pearson = 0.0;
        for (var i = 0; i < mu.Length; i++)
            pearson += (data.Rows[i].Cases - mu[i]) * (data.Rows[i].Cases - mu[i]) / mu[i];
        return new BoostedRiskModel(ml, transformer, view.Schema, data.FeatureNames, rateScale, pearson / mu.Length);
    }

    /// <summary>Reads a model written by <see cref="Serialize"/>.</summary>
    public static BoostedRiskModel Load(byte[] bytes)
    {
        using var reader = ModelEnvelope.Open(bytes, RiskModelKind.BoostedTrees);
        var names = reader.ReadStrings();
        var rateScale = reader.ReadDouble();
        var dispersion = reader.ReadDouble();
        var ml = new MLContext(seed: 0);
        var transformer = MlNetData.Load(ml, ModelEnvelope.ReadMlModel(reader), out var schema);
        return new BoostedRiskModel(ml, transformer, schema, names, rateScale, dispersion);
    }

    public byte[] Serialize() => ModelEnvelope.Write(Kind, writer =>
    {
        writer.WriteStrings(FeatureNames);
        writer.Write(_rateScale);
        writer.Write(Dispersion);
    }, MlNetData.Save(_ml, _transformer, _inputSchema));

    /// <summary>μ = exposure × rate scale × e^(Σ trees), the tree sum evaluated by ML.NET in single precision.</summary>
    public double[] ExpectedCases(ModelDataset data)
    {
        var scores = _transformer.Transform(View(data)).GetColumn<float>(MlNetData.Score).ToArray();
        var mu = new double[data.Count];
        for (var i = 0; i < mu.Length; i++)
            mu[i] = data.Rows[i].Exposure * _rateScale * scores[i];
        return mu;
    }

    /// <summary>Intervals without parameter uncertainty (trees have no covariance); pass an out-of-fold dispersion (see <see cref="Dispersion"/>).</summary>
    public IReadOnlyList<TerritoryPrediction> Predict(ModelDataset data, PredictionSettings? settings = null) =>
        PredictionIntervals.Build(data, ExpectedCases(data), null, Dispersion, settings);

    /// <summary>
    /// ML.NET's feature contributions for tree ensembles (<c>CalculateFeatureContribution</c>, not
    /// normalised), on the log μ scale: for every tree and every split on the territory's path, how much
    /// the tree's output would change had that split sent the territory the other way, summed per
    /// feature over the trees. A local sensitivity, not an additive decomposition: unlike the Poisson
    /// model's, these do not sum to log μ minus a baseline.
    /// </summary>
    public IReadOnlyList<TerritoryExplanation> Explain(ModelDataset data)
    {
        var p = FeatureNames.Count;
        var predictor = (ISingleFeaturePredictionTransformer<FastTreeTweedieModelParameters>)_transformer;
        var calculator = _ml.Transforms.CalculateFeatureContribution(predictor, numberOfPositiveContributions: p, numberOfNegativeContributions: p, normalize: false);
        var scored = _transformer.Transform(View(data));
        var contributions = calculator.Fit(scored).Transform(scored).GetColumn<float[]>("FeatureContributions").ToArray();
        return data.Rows.Select((row, i) => new TerritoryExplanation(
            row.Territory, row.Period, contributions[i].Select(c => (double)c).ToArray())).ToArray();
    }

    private IDataView View(ModelDataset data)
    {
        data.CheckFeatures(FeatureNames);
        return MlNetData.View(_ml, data, _rateScale, (row, j) => row.Features[j]);
    }
}

/// <summary>Hyper-parameters of <see cref="BoostedRiskModel"/>, with their defaults.</summary>
/// <remarks>
/// The defaults are deliberately conservative: small, shallow trees learnt slowly, because most
/// territories have few cases and trees otherwise chase their noise (on simulated data with one
/// irrelevant feature, 16 leaves at rate 0.1 with 20 rows per leaf raised the held-out deviance and
/// gave the irrelevant feature half the contribution of the real one).
/// </remarks>
/// <param name="Trees">Boosting rounds: 100.</param>
/// <param name="Leaves">Leaves per tree: 8.</param>
/// <param name="LearningRate">Shrinkage of every tree: 0.05.</param>
/// <param name="MinimumRowsPerLeaf">A leaf holds at least this many territory-periods: 100, so that a leaf is never a handful of small communes with no case.</param>
/// <param name="Seed">ML.NET's seed (the trainer draws nothing at random with these options, but the context needs one).</param>
public sealed record BoostedRiskOptions(int Trees = 100, int Leaves = 8, double LearningRate = 0.05, int MinimumRowsPerLeaf = 100, int Seed = 1);
