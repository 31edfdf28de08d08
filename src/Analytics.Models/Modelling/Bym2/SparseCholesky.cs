namespace Analytics.Models.Modelling.Bym2;

/// <summary>
/// Cholesky factorisation A = L Lᵀ of symmetric positive definite matrices sharing one
/// <see cref="SparsePattern"/>: the symbolic analysis (elimination tree, the pattern of L by rows and by
/// columns) is done once,
/// each <see cref="Factorize"/> only computes numbers. Solves, the log-determinant and the selected
/// inverse (the entries of A⁻¹ on the pattern of L, marginal variances among them) follow from L.
/// </summary>
/// <remarks>
/// Algorithms of Davis (2006), <i>Direct Methods for Sparse Linear Systems</i>: elimination tree
/// (§4.1), row patterns by <c>ereach</c> (§4.2), up-looking Cholesky (§4.7). The selected inverse uses
/// the Takahashi recurrences (Takahashi, Fagan &amp; Chen 1973; Rue &amp; Martino 2007, §2), which only
/// need entries of A⁻¹ inside the pattern of L because that pattern is closed under the recurrence.
/// </remarks>
public sealed class SparseCholesky
{
    private readonly SparsePattern _pattern;
    private readonly int[] _parent;
    private readonly int[] _columnStart; // of L; column j holds its diagonal first, then rows ascending
    private readonly int[] _rows; // of L, by column
    private readonly int[] _rowStart; // row k of L, diagonal excluded: _rowColumns[_rowStart[k].._rowStart[k + 1]), in topological order
    private readonly int[] _rowColumns;

    public SparseCholesky(SparsePattern pattern)
    {
        _pattern = pattern;
        var n = pattern.Size;
        _parent = EliminationTree(pattern);
        var counts = new int[n];
        var stack = new int[n];
        var mark = new int[n];
        Array.Fill(mark, -1);
        _rowStart = new int[n + 1];
        var rowColumns = new List<int>();
        for (var k = 0; k < n; k++)
        {
            counts[k]++;
            for (var top = Reach(k, stack, mark); top < n; top++)
            {
                counts[stack[top]]++;
                rowColumns.Add(stack[top]);
            }
            _rowStart[k + 1] = rowColumns.Count;
        }
        _rowColumns = [.. rowColumns];
        _columnStart = new int[n + 1];
        for (var j = 0; j < n; j++)
            _columnStart[j + 1] = _columnStart[j] + counts[j];
        // Column j: its diagonal, then the rows k whose row pattern names j, ascending.
        _rows = new int[FactorSize];
        var next = _columnStart[..n];
        for (var k = 0; k < n; k++)
        {
            for (var t = _rowStart[k]; t < _rowStart[k + 1]; t++)
                _rows[++next[_rowColumns[t]]] = k;
            _rows[_columnStart[k]] = k;
        }
    }

    public SparsePattern Pattern => _pattern;

    /// <summary>Non-zeros of L, diagonal included: the memory and work of a factorisation.</summary>
    public int FactorSize => _columnStart[^1];

    /// <summary>Factorises the matrix whose values are given per slot of the pattern.</summary>
    /// <param name="values">The matrix, per slot of the pattern.</param>
    /// <param name="discarded">
    /// A factor of this pattern that will not be used again, whose storage is taken over (iterations that
    /// refactorise produce less garbage): it must not be read afterwards.
    /// </param>
    /// <exception cref="ArgumentException">The matrix is not positive definite (a pivot ≤ 0), with the original index at fault.</exception>
    public Factor Factorize(double[] values, Factor? discarded = null)
    {
        if (values.Length != _pattern.SlotCount)
            throw new ArgumentException($"{values.Length} values for a pattern of {_pattern.SlotCount} slots");
        var n = _pattern.Size;
        var (cp, ci) = (_pattern.ColumnStart, _pattern.Rows);
        // Every entry is written before it is read: the discarded numbers need no clearing.
        var entries = discarded?.Storage(this) ?? new double[FactorSize];
        var next = new int[n];
        for (var j = 0; j < n; j++)
            next[j] = _columnStart[j] + 1;
        var x = new double[n];
        for (var k = 0; k < n; k++)
        {
            for (var p = cp[k]; p < cp[k + 1]; p++)
                x[ci[p]] = values[p];
            var d = x[k];
            x[k] = 0;
            for (var t = _rowStart[k]; t < _rowStart[k + 1]; t++)
            {
                var i = _rowColumns[t];
                var lki = x[i] / entries[_columnStart[i]];
                x[i] = 0;
                for (var p = _columnStart[i] + 1; p < next[i]; p++)
                    x[_rows[p]] -= entries[p] * lki;
                d -= lki * lki;
                entries[next[i]++] = lki;
            }
            if (!(d > 0))
                throw new ArgumentException($"the matrix is not positive definite (pivot {d} at index {_pattern.Order[k]})");
            entries[_columnStart[k]] = Math.Sqrt(d);
        }
        return new Factor(this, entries);
    }

    // Parent of each column in the elimination tree of the permuted matrix (upper storage).
    private static int[] EliminationTree(SparsePattern pattern)
    {
        var n = pattern.Size;
        var parent = new int[n];
        var ancestor = new int[n];
        for (var k = 0; k < n; k++)
        {
            parent[k] = -1;
            ancestor[k] = -1;
            for (var p = pattern.ColumnStart[k]; p < pattern.ColumnStart[k + 1]; p++)
            {
                for (var i = pattern.Rows[p]; i != -1 && i < k;)
                {
                    var inext = ancestor[i];
                    ancestor[i] = k;
                    if (inext == -1)
                        parent[i] = k;
                    i = inext;
                }
            }
        }
        return parent;
    }

    // The columns i < k with L[k, i] ≠ 0, in topological order in stack[top..n): ereach of Davis §4.2.
    private int Reach(int k, int[] stack, int[] mark)
    {
        var n = _pattern.Size;
        var top = n;
        mark[k] = k;
        for (var p = _pattern.ColumnStart[k]; p < _pattern.ColumnStart[k + 1]; p++)
        {
            var i = _pattern.Rows[p];
            if (i >= k)
                continue;
            var length = 0;
            for (; mark[i] != k; i = _parent[i])
            {
                stack[length++] = i;
                mark[i] = k;
            }
            while (length > 0)
                stack[--top] = stack[--length];
        }
        return top;
    }

    /// <summary>One numeric factor L of the pattern's matrix.</summary>
    public sealed class Factor
    {
        private readonly SparseCholesky _symbolic;
        private readonly int[] _rows;
        private readonly double[] _entries;
        private double[]? _inverse;

        internal Factor(SparseCholesky symbolic, double[] entries)
        {
            _symbolic = symbolic;
            _rows = symbolic._rows;
            _entries = entries;
        }

        internal double[] Storage(SparseCholesky symbolic) =>
            symbolic == _symbolic ? _entries : throw new ArgumentException("the discarded factor belongs to another pattern");

        /// <summary>log |A| = 2 Σ log Lⱼⱼ.</summary>
        public double LogDeterminant()
        {
            var sum = 0.0;
            var start = _symbolic._columnStart;
            for (var j = 0; j < start.Length - 1; j++)
                sum += Math.Log(_entries[start[j]]);
            return 2 * sum;
        }

        /// <summary>A⁻¹ b, original order.</summary>
        public double[] Solve(ReadOnlySpan<double> b)
        {
            var pattern = _symbolic._pattern;
            var start = _symbolic._columnStart;
            var n = pattern.Size;
            if (b.Length != n)
                throw new ArgumentException($"a right-hand side of {b.Length} for a matrix of order {n}");
            var y = new double[n];
            for (var k = 0; k < n; k++)
                y[k] = b[pattern.Order[k]];
            for (var j = 0; j < n; j++)
            {
                y[j] /= _entries[start[j]];
                for (var p = start[j] + 1; p < start[j + 1]; p++)
                    y[_rows[p]] -= _entries[p] * y[j];
            }
            for (var j = n - 1; j >= 0; j--)
            {
                for (var p = start[j] + 1; p < start[j + 1]; p++)
                    y[j] -= _entries[p] * y[_rows[p]];
                y[j] /= _entries[start[j]];
            }
            var x = new double[n];
            for (var k = 0; k < n; k++)
                x[pattern.Order[k]] = y[k];
            return x;
        }

        /// <summary>(A⁻¹)ᵢⱼ, original indices, for (i, j) in the pattern of L (every diagonal entry is).</summary>
        /// <exception cref="KeyNotFoundException">(i, j) lies outside the pattern of L.</exception>
        public double Inverse(int i, int j)
        {
            _inverse ??= SelectedInverse();
            var position = _symbolic._pattern.Position;
            var (a, b) = (position[i], position[j]);
            return _inverse[Locate(Math.Max(a, b), Math.Min(a, b))];
        }

        private int Locate(int row, int column)
        {
            var start = _symbolic._columnStart;
            var at = Array.BinarySearch(_rows, start[column], start[column + 1] - start[column], row);
            return at >= 0 ? at : throw new KeyNotFoundException($"entry ({row}, {column}) of the inverse is outside the pattern of the factor");
        }

        // Z = A⁻¹ on the pattern of L, from the last column back: for i ≥ j in column j,
        // Zᵢⱼ = (δᵢⱼ/Lⱼⱼ − Σₖ Zᵢₖ Lₖⱼ) / Lⱼⱼ over the rows k > j of column j. For each such k, the rows
        // i ≥ k of column j all lie in column k (the pattern is closed), so one forward walk down column k
        // finds every Zᵢₖ, each giving Lₖⱼ Zᵢₖ to row i's sum and, by symmetry, Lᵢⱼ Zᵢₖ to row k's.
        private double[] SelectedInverse()
        {
            var start = _symbolic._columnStart;
            var n = start.Length - 1;
            var z = new double[_entries.Length];
            var sums = new double[n];
            for (var j = n - 1; j >= 0; j--)
            {
                var (first, end) = (start[j], start[j + 1]);
                var m = end - first - 1;
                Array.Clear(sums, 0, m);
                for (var a = 0; a < m; a++)
                {
                    var lkj = _entries[first + 1 + a];
                    var p = start[_rows[first + 1 + a]];
                    for (var b = a; b < m; b++)
                    {
                        var i = _rows[first + 1 + b];
                        while (_rows[p] != i)
                            p++;
                        var zik = z[p];
                        sums[b] += lkj * zik;
                        if (b != a)
                            sums[a] += _entries[first + 1 + b] * zik;
                    }
                }
                var diagonal = _entries[first];
                var own = 0.0;
                for (var b = 0; b < m; b++)
                {
                    z[first + 1 + b] = -sums[b] / diagonal;
                    own += _entries[first + 1 + b] * z[first + 1 + b];
                }
                z[first] = (1 / diagonal - own) / diagonal;
            }
            return z;
        }
    }
}
