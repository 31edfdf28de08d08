namespace Analytics.Models.Indices;

/// <summary>Percentile ranks of indicator values across territories, ties averaged, missing values left out.</summary>
public static class PercentileRanks
{
    /// <summary>
    /// For each present value: 100 × (r̄ − 1) / (n − 1), where r̄ is its rank among the n present
    /// values (1 = lowest) with tied values sharing the average of their ranks. Equivalently, the
    /// share of the other territories that have a lower value, ties counted half. The lowest value
    /// gets 0 and the highest 100. Missing values (null) get no percentile and are not counted in n;
    /// with fewer than two present values no percentile is defined and all are null.
    /// </summary>
    public static double?[] Of(IReadOnlyList<double?> values)
    {
        var result = new double?[values.Count];
        var present = values.Select((v, i) => (Value: v, Index: i)).Where(x => x.Value.HasValue)
            .OrderBy(x => x.Value!.Value).ToList();
        var n = present.Count;
        if (n < 2)
            return result;
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end + 1 < n && present[end + 1].Value!.Value == present[start].Value!.Value)
                end++;
            // Ranks start+1 … end+1 share their mean.
            var averageRank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
                result[present[k].Index] = 100.0 * (averageRank - 1) / (n - 1);
            start = end + 1;
        }
        return result;
    }
}
