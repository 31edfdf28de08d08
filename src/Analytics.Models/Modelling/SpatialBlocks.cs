using Analytics.Models.Randomness;

namespace Analytics.Models.Modelling;

/// <summary>
/// Spatial blocks for cross-validation: neighbouring territories are grouped into blocks, and whole
/// blocks go to folds, so that a model is never tested on a territory whose neighbours it was trained
/// on. Random row splits would let spatial autocorrelation leak from training into test rows and
/// flatter the model (Roberts et al. 2017, "Cross-validation strategies for data with temporal,
/// spatial, hierarchical, or phylogenetic structure", Ecography 40:913–929).
/// </summary>
public static class SpatialBlocks
{
    /// <summary>
    /// Grid tiling: each territory's block is the square cell of side <paramref name="cellSize"/> (in the
    /// coordinates' unit, e.g. metres in Lambert-93) holding its centroid, named "column:row". Cells
    /// should be wider than the range over which residuals stay correlated, and numerous enough for
    /// ten or more blocks per fold.
    /// </summary>
    /// <returns>Block of every territory, by territory code.</returns>
    public static IReadOnlyDictionary<string, string> Grid(IReadOnlyList<(string Territory, double X, double Y)> centroids, double cellSize)
    {
        if (!(cellSize > 0) || double.IsInfinity(cellSize))
            throw new ArgumentOutOfRangeException(nameof(cellSize), cellSize, "must be a positive length");
        var blocks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (territory, x, y) in centroids)
        {
            if (!double.IsFinite(x) || !double.IsFinite(y))
                throw new ArgumentException($"territory {territory} has no finite centroid ({x}, {y})");
            var block = FormattableString.Invariant($"{(long)Math.Floor(x / cellSize)}:{(long)Math.Floor(y / cellSize)}");
            if (!blocks.TryAdd(territory, block))
                throw new ArgumentException($"territory {territory} has two centroids");
        }
        return blocks;
    }

    /// <summary>
    /// Deals the blocks of <paramref name="data"/> into <paramref name="folds"/> folds: blocks in an order
    /// shuffled by <paramref name="seed"/>, each to the fold with the least exposure so far (lowest fold
    /// on ties). Folds end up balanced in exposure to within about one block, every row of a block in
    /// one fold, and the same data and seed give the same folds.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two folds, or fewer blocks than folds.</exception>
    public static FoldAssignment AssignFolds(ModelDataset data, int folds, ulong seed)
    {
        if (folds < 2)
            throw new ArgumentOutOfRangeException(nameof(folds), folds, "cross-validation needs at least two folds");
        var exposure = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var row in data.Rows)
            exposure[row.Block] = exposure.GetValueOrDefault(row.Block) + row.Exposure;
        if (exposure.Count < folds)
            throw new ArgumentException($"{exposure.Count} spatial blocks cannot fill {folds} folds: use smaller blocks or fewer folds");

        var blocks = exposure.Keys.Order(StringComparer.Ordinal).ToArray();
        SeededRandom.Derive(seed, "spatial-folds").Shuffle(blocks);
        var load = new double[folds];
        var foldOfBlock = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var block in blocks)
        {
            var lightest = 0;
            for (var f = 1; f < folds; f++)
                if (load[f] < load[lightest])
                    lightest = f;
            foldOfBlock[block] = lightest;
            load[lightest] += exposure[block];
        }
        return new FoldAssignment(folds, foldOfBlock, data.Rows.Select(r => foldOfBlock[r.Block]).ToArray());
    }
}

/// <summary>Which fold every spatial block, and so every row, belongs to.</summary>
/// <param name="FoldCount">k.</param>
/// <param name="FoldOfBlock">Fold (0 … k − 1) of every block.</param>
/// <param name="FoldOfRow">Fold of every row of the data set the assignment was made for, in row order.</param>
public sealed record FoldAssignment(int FoldCount, IReadOnlyDictionary<string, int> FoldOfBlock, IReadOnlyList<int> FoldOfRow)
{
    /// <summary>Row indices in <paramref name="fold"/>, ascending.</summary>
    public int[] RowsIn(int fold) => Enumerable.Range(0, FoldOfRow.Count).Where(i => FoldOfRow[i] == fold).ToArray();

    /// <summary>Row indices outside <paramref name="fold"/>, ascending: the fold's training rows.</summary>
    public int[] RowsOutside(int fold) => Enumerable.Range(0, FoldOfRow.Count).Where(i => FoldOfRow[i] != fold).ToArray();
}
