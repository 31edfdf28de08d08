using Microsoft.ML;
using Microsoft.ML.Data;

namespace Analytics.Models.Modelling;

/// <summary>
/// The bridge to ML.NET: rows of a <see cref="ModelDataset"/> as an <see cref="IDataView"/> with the
/// exposure folded into label and weight, and trained transformers to and from bytes.
/// </summary>
/// <remarks>
/// ML.NET's Poisson and Tweedie trainers have no offset. A Poisson model with offset log(Eᵢ),
/// log μᵢ = log Eᵢ + f(xᵢ), has the same maximiser as the weighted Poisson model of the rate
/// yᵢ/Eᵢ with weight Eᵢ: the log-likelihood terms are Eᵢ[(yᵢ/Eᵢ) f − e^f] = yᵢ f − Eᵢ e^f, identical
/// up to constants. Here Eᵢ is the exposure times the training crude rate (so labels are near 1, as
/// single-precision ML.NET prefers) and weights are rescaled to mean 1; neither changes the maximiser.
/// </remarks>
internal static class MlNetData
{
    public const string Features = "Features";
    public const string Label = "Label";
    public const string Weight = "Weight";
    public const string Score = "Score";

    /// <summary>Σ w·cases / Σ w·exposure: the training crude rate that scales exposures to expected counts near the observed ones.</summary>
    public static double RateScale(ModelDataset data)
    {
        double cases = 0, exposure = 0;
        foreach (var row in data.Rows)
        {
            cases += row.Weight * row.Cases;
            exposure += row.Weight * row.Exposure;
        }
        if (!(cases > 0))
            throw new ArgumentException("the training data have no (weighted) cases: a rate model cannot be fitted");
        return cases / exposure;
    }

    /// <summary>
    /// The rows as ML.NET sees them: features transformed by <paramref name="feature"/> (row, index) → value,
    /// label = cases / (exposure × rate scale), weight = row weight × exposure × rate scale, rescaled to mean 1.
    /// </summary>
    public static IDataView View(MLContext ml, ModelDataset data, double rateScale, Func<ModelRow, int, double> feature)
    {
        var p = data.FeatureNames.Count;
        var rows = new Row[data.Count];
        var meanWeight = data.Rows.Average(r => r.Weight * r.Exposure * rateScale);
        for (var i = 0; i < rows.Length; i++)
        {
            var source = data.Rows[i];
            var exposure = source.Exposure * rateScale;
            var values = new float[p];
            for (var j = 0; j < p; j++)
                values[j] = (float)feature(source, j);
            rows[i] = new Row
            {
                Features = values,
                Label = (float)(source.Cases / exposure),
                Weight = meanWeight > 0 ? (float)(source.Weight * exposure / meanWeight) : 0,
            };
        }
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[Features].ColumnType = new VectorDataViewType(NumberDataViewType.Single, p);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    public static byte[] Save(MLContext ml, ITransformer model, DataViewSchema inputSchema)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, inputSchema, stream);
        return stream.ToArray();
    }

    public static ITransformer Load(MLContext ml, byte[] bytes, out DataViewSchema inputSchema)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return ml.Model.Load(stream, out inputSchema);
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }

        public float Weight { get; set; }
    }
}
