namespace Analytics.Models.Fairness;

/// <summary>Priority lists: the territories a prevention action would go to first.</summary>
public static class PriorityList
{
    /// <summary>
    /// Marks the top <paramref name="share"/> of territories by <paramref name="scores"/> (highest first):
    /// ⌈share × n⌉ of them, ties broken by position so that the list has exactly that size.
    /// </summary>
    /// <remarks>
    /// For the model's list, pass predicted rates; for the "actual" list, pass recorded rates — or, better for
    /// small territories whose crude rates are mostly noise, empirically smoothed rates
    /// (<see cref="Epidemiology.EmpiricalBayesRates"/>). The choice is the caller's and belongs in the report's text.
    /// </remarks>
    public static bool[] TopShare(IReadOnlyList<double> scores, double share)
    {
        if (!(share > 0 && share <= 1))
            throw new ArgumentOutOfRangeException(nameof(share), share, "must lie in (0, 1]");
        for (var i = 0; i < scores.Count; i++)
            if (!double.IsFinite(scores[i]))
                throw new ArgumentException($"score {i} is {scores[i]}: every territory needs a finite score", nameof(scores));
        var count = (int)Math.Ceiling(share * scores.Count - 1e-9);
        var order = Enumerable.Range(0, scores.Count)
            .OrderByDescending(i => scores[i])
            .ThenBy(i => i)
            .Take(count);
        var marked = new bool[scores.Count];
        foreach (var i in order)
            marked[i] = true;
        return marked;
    }
}
