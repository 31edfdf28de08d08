using Analytics.Models.Modelling;

namespace Analytics.Models.Tests.Modelling;

public class SpatialBlocksTests
{
    [Fact]
    public void grid_blocks_are_the_cells_holding_the_centroids()
    {
        var blocks = SpatialBlocks.Grid(
        [
            ("A", 500, 500), ("B", 4_999, 10), ("C", 5_000, 0), ("D", -1, 12_000),
        ], cellSize: 5_000);

        Assert.Equal("0:0", blocks["A"]);
        Assert.Equal("0:0", blocks["B"]);
        Assert.Equal("1:0", blocks["C"]);
        Assert.Equal("-1:2", blocks["D"]);
    }

    [Fact]
    public void every_block_lies_in_exactly_one_fold_across_all_its_periods()
    {
        var data = SimulatedTerritories.Create(side: 30, seed: 1, periods: 3);

        var folds = SpatialBlocks.AssignFolds(data, folds: 5, seed: 7);

        for (var i = 0; i < data.Count; i++)
            Assert.Equal(folds.FoldOfBlock[data.Rows[i].Block], folds.FoldOfRow[i]);
        Assert.Equal(36, folds.FoldOfBlock.Count); // 30 km square in 5 km cells
        Assert.Equal(Enumerable.Range(0, 5), folds.FoldOfBlock.Values.Distinct().Order());
    }

    [Fact]
    public void neighbouring_territories_mostly_share_their_fold_unlike_a_random_split()
    {
        // On a 30 × 30 grid in 5 × 5 blocks, 36 × 40 = 1,440 of the 1,740 rook-neighbour pairs lie inside
        // a block, so at least 83% of neighbours share a fold (random rows: about 1 in 5).
        var data = SimulatedTerritories.Create(side: 30, seed: 1);
        var folds = SpatialBlocks.AssignFolds(data, folds: 5, seed: 7);
        var foldOf = data.Rows.Select((r, i) => (r.Territory, Fold: folds.FoldOfRow[i])).ToDictionary(t => t.Territory, t => t.Fold);

        int pairs = 0, same = 0;
        for (var i = 0; i < 30; i++)
            for (var j = 0; j < 30; j++)
                foreach (var (di, dj) in new[] { (1, 0), (0, 1) })
                {
                    if (i + di >= 30 || j + dj >= 30)
                        continue;
                    pairs++;
                    if (foldOf[$"T{i:D3}{j:D3}"] == foldOf[$"T{i + di:D3}{j + dj:D3}"])
                        same++;
                }

        Assert.Equal(1_740, pairs);
        Assert.True(same >= 1_440, $"{same} of {pairs} neighbour pairs share a fold");
    }

    [Fact]
    public void folds_are_balanced_in_exposure_to_within_one_block()
    {
        var data = SimulatedTerritories.Create(side: 30, seed: 1);
        var folds = SpatialBlocks.AssignFolds(data, folds: 5, seed: 7);
        var blockExposure = data.Rows.GroupBy(r => r.Block).ToDictionary(g => g.Key, g => g.Sum(r => r.Exposure));

        var foldExposure = Enumerable.Range(0, 5).Select(f => folds.RowsIn(f).Sum(i => data.Rows[i].Exposure)).ToArray();

        // Greedy "to the lightest fold": the heaviest fold exceeds the lightest by at most the last block it took.
        Assert.True(foldExposure.Max() - foldExposure.Min() <= blockExposure.Values.Max(),
            $"fold exposures {string.Join(", ", foldExposure)}, largest block {blockExposure.Values.Max()}");
    }

    [Fact]
    public void the_same_seed_gives_the_same_folds_and_another_seed_others()
    {
        var data = SimulatedTerritories.Create(side: 30, seed: 1);

        var a = SpatialBlocks.AssignFolds(data, folds: 5, seed: 7);
        var b = SpatialBlocks.AssignFolds(data, folds: 5, seed: 7);
        var c = SpatialBlocks.AssignFolds(data, folds: 5, seed: 8);

        Assert.Equal(a.FoldOfRow, b.FoldOfRow);
        Assert.NotEqual(a.FoldOfRow, c.FoldOfRow);
    }

    [Fact]
    public void fewer_blocks_than_folds_are_refused()
    {
        var data = SimulatedTerritories.Create(side: 8, seed: 1); // 8 km square: 4 blocks of 5 km

        var error = Assert.Throws<ArgumentException>(() => SpatialBlocks.AssignFolds(data, folds: 5, seed: 1));

        Assert.Contains("4 spatial blocks cannot fill 5 folds", error.Message);
    }
}
