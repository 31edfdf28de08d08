namespace Analytics.Models.Modelling;

/// <summary>Solves and inverts small symmetric positive-definite systems (normal equations).</summary>
internal static class Cholesky
{
    /// <summary>Solves A x = b. <paramref name="names"/> label the columns in the error for a singular A.</summary>
    public static double[] Solve(double[,] a, double[] b, IReadOnlyList<string> names)
    {
        var l = Decompose(a, names);
        var n = b.Length;
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var s = b[i];
            for (var k = 0; k < i; k++)
                s -= l[i, k] * y[k];
            y[i] = s / l[i, i];
        }
        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var s = y[i];
            for (var k = i + 1; k < n; k++)
                s -= l[k, i] * x[k];
            x[i] = s / l[i, i];
        }
        return x;
    }

    /// <summary>A⁻¹, column by column.</summary>
    public static double[,] Inverse(double[,] a, IReadOnlyList<string> names)
    {
        var n = a.GetLength(0);
        var inverse = new double[n, n];
        for (var j = 0; j < n; j++)
        {
            var unit = new double[n];
            unit[j] = 1;
            var column = Solve(a, unit, names);
            for (var i = 0; i < n; i++)
                inverse[i, j] = column[i];
        }
        return inverse;
    }

    /// <summary>log |A| = 2 Σ log Lⱼⱼ.</summary>
    public static double LogDeterminant(double[,] a)
    {
        var n = a.GetLength(0);
        var l = Decompose(a, [.. Enumerable.Range(0, n).Select(j => $"column {j}")]);
        var sum = 0.0;
        for (var j = 0; j < n; j++)
            sum += Math.Log(l[j, j]);
        return 2 * sum;
    }

    private static double[,] Decompose(double[,] a, IReadOnlyList<string> names)
    {
        var n = a.GetLength(0);
        var l = new double[n, n];
        for (var j = 0; j < n; j++)
        {
            var d = a[j, j];
            for (var k = 0; k < j; k++)
                d -= l[j, k] * l[j, k];
            // Relative test: a pivot that vanishes next to its diagonal means the column is a combination of earlier ones.
            if (d <= a[j, j] * 1e-12 || d <= 0)
                throw new ArgumentException($"the design is singular: covariate '{names[j]}' is collinear with earlier columns or never varies");
            l[j, j] = Math.Sqrt(d);
            for (var i = j + 1; i < n; i++)
            {
                var s = a[i, j];
                for (var k = 0; k < j; k++)
                    s -= l[i, k] * l[j, k];
                l[i, j] = s / l[j, j];
            }
        }
        return l;
    }
}
