using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Analytics.Models.Modelling;

/// <summary>
/// Poisson regression with a log exposure offset, log μ = log(exposure) + β₀ + Σ βⱼ xⱼ, trained by
/// ML.NET's <c>LbfgsPoissonRegression</c>: rate ratios exp(βⱼ) per unit of each feature, with
/// Wald confidence intervals from the Fisher information.
/// </summary>
/// <remarks>
/// <para>Offset: ML.NET has none; the equivalent weighted rate model is used (see <see cref="MlNetData"/>).</para>
/// <para>Regularisation: none (L1 = L2 = 0, where ML.NET's defaults are 1): penalties would shrink the
/// rate ratios towards 1 and make the intervals wrong. Collinear features are refused by
/// <see cref="ModelDataset.Create"/> instead.</para>
/// <para>Features are standardised (mean 0, sd 1 over the training rows) before L-BFGS, which then works
/// on a well-conditioned problem; coefficients are reported back on the features' own units. One
/// thread, zero initial weights: the optimisation is deterministic. Expected cases are computed in
/// double precision from ML.NET's (single-precision) weights, so they agree exactly with the
/// coefficients and contributions reported.</para>
/// <para>Standard errors: ML.NET reports none for this trainer. Cov(β̂) = (XᵀWX)⁻¹ with W = w·μ at the
/// estimate (McCullagh &amp; Nelder 1989, §2.5), as <see cref="PoissonGlm"/> and R's <c>glm</c> compute it,
/// assuming Poisson variance. <see cref="Dispersion"/> says how far the data are from that: with φ &gt; 1
/// the intervals are too narrow by √φ (quasi-Poisson SE = SE·√φ).</para>
/// </remarks>
public sealed class PoissonRiskModel : IRiskModel
{
    private readonly MLContext _ml;
    private readonly ITransformer _transformer;
    private readonly DataViewSchema _inputSchema;
    private readonly Linear _linear;
    private readonly double[,] _standardisedCovariance; // of (bias, weights)

    private PoissonRiskModel(
        MLContext ml, ITransformer transformer, DataViewSchema inputSchema, IReadOnlyList<string> featureNames,
        Linear linear, double[,] standardisedCovariance, double dispersion, double deviance)
    {
        _ml = ml;
        _transformer = transformer;
        _inputSchema = inputSchema;
        FeatureNames = featureNames;
        _linear = linear;
        _standardisedCovariance = standardisedCovariance;
        Dispersion = dispersion;
        Deviance = deviance;
        // The exposure's rate scale enters the intercept only.
        Coefficients = ModelCoefficient.FromStandardised(featureNames, linear.Means, linear.Scales,
            [linear.Bias + Math.Log(linear.RateScale), .. linear.Weights], (r, c) => standardisedCovariance[r, c]);
    }

    public RiskModelKind Kind => RiskModelKind.Poisson;

    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Pearson χ² / (n − p − 1) on the training rows (rows with weight 0 included).</summary>
    public double Dispersion { get; }

    /// <summary>Residual deviance 2 Σ w [y log(y/μ) − (y − μ)] on the training rows.</summary>
    public double Deviance { get; }

    /// <summary>The intercept first, then one coefficient per feature, in the features' own units.</summary>
    public IReadOnlyList<ModelCoefficient> Coefficients { get; }

    /// <summary>The coefficient of a feature, or of <see cref="ModelCoefficient.InterceptName"/>.</summary>
    public ModelCoefficient Coefficient(string name) => ModelCoefficient.Find(Coefficients, name);

    /// <summary>Trains the model on <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The data have no cases.</exception>
    public static PoissonRiskModel Train(ModelDataset data)
    {
        var ml = new MLContext(seed: 0);
        var (means, scales) = data.FeatureMoments();
        var rateScale = MlNetData.RateScale(data);
        var view = MlNetData.View(ml, data, rateScale, (row, j) => (row.Features[j] - means[j]) / scales[j]);
        var trainer = ml.Regression.Trainers.LbfgsPoissonRegression(new LbfgsPoissonRegressionTrainer.Options
        {
            LabelColumnName = MlNetData.Label,
            FeatureColumnName = MlNetData.Features,
            ExampleWeightColumnName = MlNetData.Weight,
            L1Regularization = 0,
            L2Regularization = 0,
            OptimizationTolerance = 1e-9f,
            MaximumNumberOfIterations = 1000,
            HistorySize = 20,
            InitialWeightsDiameter = 0,
            NumberOfThreads = 1,
        });
        var transformer = trainer.Fit(view);
        var linear = Linear.Of(transformer, means, scales, rateScale);
        var (covariance, dispersion, deviance) = FitStatistics(data, linear);
        return new PoissonRiskModel(ml, transformer, view.Schema, data.FeatureNames, linear, covariance, dispersion, deviance);
    }

    /// <summary>Reads a model written by <see cref="Serialize"/>.</summary>
    public static PoissonRiskModel Load(byte[] bytes)
    {
        using var reader = ModelEnvelope.Open(bytes, RiskModelKind.Poisson);
        var names = reader.ReadStrings();
        var means = reader.ReadDoubles();
        var scales = reader.ReadDoubles();
        var rateScale = reader.ReadDouble();
        var flat = reader.ReadDoubles();
        var dispersion = reader.ReadDouble();
        var deviance = reader.ReadDouble();
        var ml = new MLContext(seed: 0);
        var transformer = MlNetData.Load(ml, ModelEnvelope.ReadMlModel(reader), out var schema);
        var k = names.Length + 1;
        var covariance = new double[k, k];
        Buffer.BlockCopy(flat, 0, covariance, 0, flat.Length * sizeof(double));
        return new PoissonRiskModel(ml, transformer, schema, names, Linear.Of(transformer, means, scales, rateScale), covariance, dispersion, deviance);
    }

    public byte[] Serialize()
    {
        var flat = new double[_standardisedCovariance.Length];
        Buffer.BlockCopy(_standardisedCovariance, 0, flat, 0, flat.Length * sizeof(double));
        return ModelEnvelope.Write(Kind, writer =>
        {
            writer.WriteStrings(FeatureNames);
            writer.WriteDoubles(_linear.Means);
            writer.WriteDoubles(_linear.Scales);
            writer.Write(_linear.RateScale);
            writer.WriteDoubles(flat);
            writer.Write(Dispersion);
            writer.Write(Deviance);
        }, MlNetData.Save(_ml, _transformer, _inputSchema));
    }

    public double[] ExpectedCases(ModelDataset data)
    {
        data.CheckFeatures(FeatureNames);
        var mu = new double[data.Count];
        for (var i = 0; i < mu.Length; i++)
            mu[i] = Math.Exp(_linear.LogExpected(data.Rows[i]));
        return mu;
    }

    /// <summary>
    /// Intervals include parameter uncertainty by the delta method, Var(η̂) = zᵀ Cov z with z the
    /// row's standardised features and a leading 1 (see <see cref="PredictionIntervals"/>).
    /// </summary>
    public IReadOnlyList<TerritoryPrediction> Predict(ModelDataset data, PredictionSettings? settings = null)
    {
        var mu = ExpectedCases(data);
        var k = FeatureNames.Count + 1;
        var z = new double[k];
        var variance = new double[data.Count];
        for (var i = 0; i < variance.Length; i++)
        {
            _linear.Standardise(data.Rows[i], z);
            var v = 0.0;
            for (var a = 0; a < k; a++)
                for (var b = 0; b < k; b++)
                    v += z[a] * _standardisedCovariance[a, b] * z[b];
            variance[i] = v;
        }
        return PredictionIntervals.Build(data, mu, variance, Dispersion, settings);
    }

    /// <summary>
    /// Exact contributions βⱼ(xⱼ − x̄ⱼ), x̄ the training means: they sum to log μ − log μ₀, where μ₀ is
    /// the territory's expected cases with every feature at its training mean (same exposure).
    /// </summary>
    public IReadOnlyList<TerritoryExplanation> Explain(ModelDataset data)
    {
        data.CheckFeatures(FeatureNames);
        return data.Rows.Select(row => new TerritoryExplanation(
            row.Territory,
            row.Period,
            Enumerable.Range(0, FeatureNames.Count).Select(j => _linear.Term(row, j)).ToArray())).ToArray();
    }

    // Fisher information Σ w μ z zᵀ in the standardised coordinates, where it is well conditioned;
    // Pearson dispersion and deviance at the same estimate.
    private static (double[,] Covariance, double Dispersion, double Deviance) FitStatistics(ModelDataset data, Linear linear)
    {
        var k = data.FeatureNames.Count + 1;
        var information = new double[k, k];
        var z = new double[k];
        double pearson = 0, deviance = 0;
        foreach (var row in data.Rows)
        {
            var mu = Math.Exp(linear.LogExpected(row));
            linear.Standardise(row, z);
            var w = row.Weight * mu;
            for (var a = 0; a < k; a++)
                for (var b = 0; b <= a; b++)
                    information[a, b] += w * z[a] * z[b];
            pearson += (row.Cases - mu) * (row.Cases - mu) / mu;
            deviance += row.Weight * ModelMetrics.UnitDeviance(row.Cases, mu);
        }
        for (var a = 0; a < k; a++)
            for (var b = 0; b < a; b++)
                information[b, a] = information[a, b];
        var covariance = Cholesky.Inverse(information, [ModelCoefficient.InterceptName, .. data.FeatureNames]);
        var residualDf = data.Count - k;
        return (covariance, residualDf > 0 ? pearson / residualDf : double.NaN, deviance);
    }

    /// <summary>ML.NET's weights and bias on the standardised features, with the standardisation and exposure scale.</summary>
    private sealed record Linear(double[] Weights, double Bias, double[] Means, double[] Scales, double RateScale)
    {
        public static Linear Of(ITransformer transformer, double[] means, double[] scales, double rateScale)
        {
            var parameters = ((RegressionPredictionTransformer<PoissonRegressionModelParameters>)transformer).Model;
            return new Linear([.. parameters.Weights.Select(w => (double)w)], parameters.Bias, means, scales, rateScale);
        }

        /// <summary>Feature j's term in log μ: bⱼ(xⱼ − x̄ⱼ)/sⱼ = βⱼ(xⱼ − x̄ⱼ).</summary>
        public double Term(ModelRow row, int j) => Weights[j] * (row.Features[j] - Means[j]) / Scales[j];

        public double LogExpected(ModelRow row)
        {
            var eta = Math.Log(row.Exposure * RateScale) + Bias;
            for (var j = 0; j < Weights.Length; j++)
                eta += Term(row, j);
            return eta;
        }

        /// <summary>z = (1, standardised features): the row's design vector in ML.NET's coordinates.</summary>
        public void Standardise(ModelRow row, double[] z)
        {
            z[0] = 1;
            for (var j = 0; j < Weights.Length; j++)
                z[j + 1] = (row.Features[j] - Means[j]) / Scales[j];
        }
    }
}
