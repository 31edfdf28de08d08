namespace Analytics.Models.Secrecy;

/// <summary>
/// Gauss–Jordan elimination in exact rational arithmetic over the unknown (suppressed) cells,
/// one equation at a time, keeping for each reduced row the combination of original equations
/// that produced it.
/// </summary>
/// <remarks>
/// The rows are kept in reduced row-echelon form: each has a pivot column with coefficient 1, and
/// no other row has a non-zero there. An unknown xᵢ is determined by the equations exactly when
/// the unit vector eᵢ lies in their row space, which in that form means: i is a pivot and its row
/// has no other non-zero entry. The row's right-hand side is then the value, and its combination
/// says which published equations, with which multipliers, give it.
/// </remarks>
internal sealed class ExactElimination
{
    private readonly Dictionary<int, Row> _byPivot = new();

    private sealed class Row(Dictionary<int, Rational> coefficients, Rational constant, Dictionary<int, Rational> combination)
    {
        public Dictionary<int, Rational> Coefficients { get; } = coefficients;
        public Rational Constant { get; set; } = constant;
        public Dictionary<int, Rational> Combination { get; } = combination;

        /// <summary>this −= factor × other.</summary>
        public void Subtract(Rational factor, Row other)
        {
            AddScaled(Coefficients, other.Coefficients, factor);
            AddScaled(Combination, other.Combination, factor);
            Constant -= factor * other.Constant;
        }

        public void Scale(Rational factor)
        {
            foreach (var key in Coefficients.Keys.ToList())
                Coefficients[key] *= factor;
            foreach (var key in Combination.Keys.ToList())
                Combination[key] *= factor;
            Constant *= factor;
        }

        private static void AddScaled(Dictionary<int, Rational> target, Dictionary<int, Rational> source, Rational factor)
        {
            foreach (var (key, value) in source)
            {
                var updated = (target.TryGetValue(key, out var current) ? current : Rational.Zero) - factor * value;
                if (updated.IsZero)
                    target.Remove(key);
                else
                    target[key] = updated;
            }
        }
    }

    /// <summary>Equation <paramref name="origin"/>: Σ coefficients[u]·x_u = constant, over unknowns u.</summary>
    /// <returns>False when the equation contradicts the ones before it (the published figures do not add up).</returns>
    public bool Add(int origin, IEnumerable<KeyValuePair<int, long>> coefficients, Rational constant)
    {
        var row = new Row(
            coefficients.Where(kv => kv.Value != 0).ToDictionary(kv => kv.Key, kv => (Rational)kv.Value),
            constant,
            new Dictionary<int, Rational> { [origin] = 1 });
        // Pivot rows are zero at every other pivot, so one pass over the columns present suffices.
        foreach (var column in row.Coefficients.Keys.ToList())
            if (_byPivot.TryGetValue(column, out var pivotRow) && row.Coefficients.TryGetValue(column, out var factor))
                row.Subtract(factor, pivotRow);
        if (row.Coefficients.Count == 0)
            return row.Constant.IsZero;

        var pivot = row.Coefficients.Keys.Min();
        row.Scale(Rational.Of(1, 1) / row.Coefficients[pivot]);
        foreach (var other in _byPivot.Values)
            if (other.Coefficients.TryGetValue(pivot, out var factor))
                other.Subtract(factor, row);
        _byPivot[pivot] = row;
        return true;
    }

    /// <summary>Every unknown the equations pin down, with its value and the combination of equations (origin → multiplier) that gives it.</summary>
    public IEnumerable<(int Unknown, Rational Value, IReadOnlyDictionary<int, Rational> Combination)> Determined()
    {
        foreach (var (pivot, row) in _byPivot)
            if (row.Coefficients.Count == 1)
                yield return (pivot, row.Constant, row.Combination);
    }
}
