namespace Analytics.Models.Modelling;

/// <summary>
/// The validated input of the risk models: one row per territory × period with named numeric
/// features. Built once by <see cref="Create"/>, which refuses anything a model could not use and
/// says which row and feature are at fault; models and cross-validation trust it afterwards.
/// </summary>
public sealed class ModelDataset
{
    private ModelDataset(IReadOnlyList<string> featureNames, IReadOnlyList<ModelRow> rows)
    {
        FeatureNames = featureNames;
        Rows = rows;
    }

    /// <summary>Feature names, in the order of every row's <see cref="ModelRow.Features"/>.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    public IReadOnlyList<ModelRow> Rows { get; }

    public int Count => Rows.Count;

    /// <summary>Refuses data whose features are not the ones a model was trained on, in the same order.</summary>
    /// <exception cref="ArgumentException">The names or their order differ.</exception>
    public void CheckFeatures(IReadOnlyList<string> trainedOn)
    {
        if (!FeatureNames.SequenceEqual(trainedOn))
            throw new ArgumentException($"the data have features ({string.Join(", ", FeatureNames)}) but the model was trained on ({string.Join(", ", trainedOn)})");
    }

    /// <summary>True when the exposure is expected cases (SIR = μ / expected), false when it is population.</summary>
    public bool HasExpectedCases => Rows[0].ExpectedCases is not null;

    /// <summary>
    /// Validates and wraps the rows. Refused: no rows; no, blank or duplicate feature names; a row with
    /// the wrong number of features; non-finite values; negative cases; population or expected cases
    /// not positive (a territory with nobody at risk carries no information: drop it); expected cases on
    /// some rows only; a negative or non-finite weight; the same territory and period twice; a feature
    /// that never varies or is a linear combination of the others (the Poisson model could not separate them).
    /// </summary>
    /// <exception cref="ArgumentException">The first problem found, naming the row (territory, period) and the feature.</exception>
    public static ModelDataset Create(IReadOnlyList<string> featureNames, IReadOnlyList<ModelRow> rows)
    {
        if (rows.Count == 0)
            throw new ArgumentException("the data set has no rows: a model needs at least one territory");
        if (featureNames.Count == 0)
            throw new ArgumentException("the data set has no features");
        var seenNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in featureNames)
        {
            if (string.IsNullOrWhiteSpace(name))
                throw new ArgumentException("a feature name is blank");
            if (!seenNames.Add(name))
                throw new ArgumentException($"feature '{name}' is named twice");
        }

        var withExpected = rows[0].ExpectedCases is not null;
        var seenRows = new HashSet<(string, string)>();
        foreach (var row in rows)
        {
            var where = $"territory {row.Territory}, period {row.Period}";
            if (!seenRows.Add((row.Territory, row.Period)))
                throw new ArgumentException($"{where} appears twice");
            if (string.IsNullOrEmpty(row.Block))
                throw new ArgumentException($"{where}: no spatial block");
            if (!(row.Cases >= 0) || double.IsInfinity(row.Cases))
                throw new ArgumentException($"{where}: cases {row.Cases} must be a non-negative number");
            if (!(row.Population > 0) || double.IsInfinity(row.Population))
                throw new ArgumentException($"{where}: population {row.Population} must be positive (drop territories with nobody at risk)");
            if ((row.ExpectedCases is not null) != withExpected)
                throw new ArgumentException($"{where}: expected cases must be given on every row or on none");
            if (row.ExpectedCases is { } expected && (!(expected > 0) || double.IsInfinity(expected)))
                throw new ArgumentException($"{where}: expected cases {expected} must be positive");
            if (!(row.Weight >= 0) || double.IsInfinity(row.Weight))
                throw new ArgumentException($"{where}: weight {row.Weight} must be a non-negative number");
            if (row.Features.Count != featureNames.Count)
                throw new ArgumentException($"{where}: {row.Features.Count} feature values for {featureNames.Count} feature names");
            for (var j = 0; j < featureNames.Count; j++)
                if (!double.IsFinite(row.Features[j]))
                    throw new ArgumentException($"{where}: feature '{featureNames[j]}' is {row.Features[j]}");
        }

        CheckNotCollinear(featureNames, rows);
        return new ModelDataset([.. featureNames], [.. rows]);
    }

    /// <summary>The rows at <paramref name="indices"/>, in that order (a cross-validation fold), without validating again.</summary>
    public ModelDataset Subset(IReadOnlyList<int> indices) =>
        new(FeatureNames, indices.Select(i => Rows[i]).ToArray());

    /// <summary>The same rows with feature <paramref name="feature"/> replaced by <paramref name="values"/> (a permutation), without validating again.</summary>
    internal ModelDataset WithFeature(int feature, IReadOnlyList<double> values)
    {
        var rows = new ModelRow[Rows.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var features = Rows[i].Features.ToArray();
            features[feature] = values[i];
            rows[i] = Rows[i] with { Features = features };
        }
        return new ModelDataset(FeatureNames, rows);
    }

    /// <summary>Mean and population standard deviation of every feature over the rows.</summary>
    internal (double[] Means, double[] Scales) FeatureMoments()
    {
        var p = FeatureNames.Count;
        var means = new double[p];
        var scales = new double[p];
        foreach (var row in Rows)
            for (var j = 0; j < p; j++)
                means[j] += row.Features[j];
        for (var j = 0; j < p; j++)
            means[j] /= Rows.Count;
        foreach (var row in Rows)
            for (var j = 0; j < p; j++)
                scales[j] += (row.Features[j] - means[j]) * (row.Features[j] - means[j]);
        for (var j = 0; j < p; j++)
            scales[j] = Math.Sqrt(scales[j] / Rows.Count);
        return (means, scales);
    }

    // The cross-product matrix of the centred features (with an intercept) is positive definite
    // exactly when no feature is constant or a combination of the others; Cholesky names the first
    // column at fault. Centring keeps a feature far from zero from looking like the intercept.
    private static void CheckNotCollinear(IReadOnlyList<string> featureNames, IReadOnlyList<ModelRow> rows)
    {
        var p = featureNames.Count;
        var means = new double[p];
        foreach (var row in rows)
            for (var j = 0; j < p; j++)
                means[j] += row.Features[j] / rows.Count;
        var product = new double[p + 1, p + 1];
        var z = new double[p + 1];
        z[0] = 1;
        foreach (var row in rows)
        {
            for (var j = 0; j < p; j++)
                z[j + 1] = row.Features[j] - means[j];
            for (var a = 0; a <= p; a++)
                for (var b = 0; b <= a; b++)
                    product[a, b] += z[a] * z[b];
        }
        for (var a = 0; a <= p; a++)
            for (var b = 0; b < a; b++)
                product[b, a] = product[a, b];
        for (var j = 1; j <= p; j++)
            if (product[j, j] == 0)
                throw new ArgumentException($"feature '{featureNames[j - 1]}' never varies");
        Cholesky.Inverse(product, ["(intercept)", .. featureNames]);
    }
}
