using Analytics.Models.Modelling.Bym2;
using Analytics.Models.Randomness;

namespace Analytics.Models.Tests.Modelling.Bym2;

/// <summary>The sparse factorisation against a dense Gauss–Jordan inverse of the same matrix, written here.</summary>
public class SparseCholeskyTests
{
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void solves_log_determinant_and_selected_inverse_agree_with_a_dense_inverse(ulong seed)
    {
        // A 12 × 12 grid graph (a map-like pattern) plus two dense rows, made diagonally dominant.
        var random = SeededRandom.Derive(seed, "sparse-cholesky");
        const int side = 12, n = side * side + 2;
        var links = new List<(int, int)>();
        for (var r = 0; r < side; r++)
            for (var c = 0; c < side; c++)
            {
                var i = r * side + c;
                if (c + 1 < side) links.Add((i, i + 1));
                if (r + 1 < side) links.Add((i, i + side));
                links.Add((i, n - 2));
                links.Add((i, n - 1));
            }
        links.Add((n - 2, n - 1));
        var dense = new double[n, n];
        foreach (var (i, j) in links)
            dense[i, j] = dense[j, i] = random.NextDouble() - 0.5;
        for (var i = 0; i < n; i++)
        {
            var sum = 0.0;
            for (var j = 0; j < n; j++)
                sum += Math.Abs(dense[i, j]);
            dense[i, i] = sum + 0.5 + random.NextDouble();
        }

        var pattern = SparsePattern.Create(n, links, [n - 2, n - 1]);
        var values = new double[pattern.SlotCount];
        var (rows, columns) = pattern.Entries();
        for (var s = 0; s < values.Length; s++)
            values[s] = dense[rows[s], columns[s]];
        var cholesky = new SparseCholesky(pattern);
        var factor = cholesky.Factorize(values);
        var inverse = DenseInverse(dense, out var logDeterminant);

        Assert.Equal(logDeterminant, factor.LogDeterminant(), 9);
        var b = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        var x = factor.Solve(b);
        for (var i = 0; i < n; i++)
        {
            var expected = 0.0;
            for (var j = 0; j < n; j++)
                expected += inverse[i, j] * b[j];
            Assert.Equal(expected, x[i], 10);
        }
        // Every entry of the pattern (and the whole diagonal) of the inverse.
        for (var s = 0; s < values.Length; s++)
            Assert.Equal(inverse[rows[s], columns[s]], factor.Inverse(rows[s], columns[s]), 10);
        for (var i = 0; i < n; i++)
            Assert.Equal(inverse[i, i], factor.Inverse(i, i), 10);
        // Fill is far below dense: the order keeps the grid's factor sparse.
        Assert.True(cholesky.FactorSize < n * (n + 1) / 4, $"factor of {cholesky.FactorSize} non-zeros for order {n}");
    }

    [Fact]
    public void a_matrix_that_is_not_positive_definite_is_refused_with_its_index()
    {
        var pattern = SparsePattern.Create(2, [(0, 1)], []);
        var values = new double[pattern.SlotCount];
        values[pattern.Slot(0, 0)] = 1;
        values[pattern.Slot(1, 1)] = 1;
        values[pattern.Slot(0, 1)] = 2;
        var error = Assert.Throws<ArgumentException>(() => new SparseCholesky(pattern).Factorize(values));
        Assert.Contains("not positive definite", error.Message);
    }

    private static double[,] DenseInverse(double[,] a, out double logDeterminant)
    {
        var n = a.GetLength(0);
        var m = (double[,])a.Clone();
        var inverse = new double[n, n];
        for (var i = 0; i < n; i++)
            inverse[i, i] = 1;
        logDeterminant = 0;
        for (var col = 0; col < n; col++)
        {
            var pivot = m[col, col];
            logDeterminant += Math.Log(pivot);
            for (var j = 0; j < n; j++)
            {
                m[col, j] /= pivot;
                inverse[col, j] /= pivot;
            }
            for (var i = 0; i < n; i++)
            {
                if (i == col)
                    continue;
                var f = m[i, col];
                for (var j = 0; j < n; j++)
                {
                    m[i, j] -= f * m[col, j];
                    inverse[i, j] -= f * inverse[col, j];
                }
            }
        }
        return inverse;
    }
}
