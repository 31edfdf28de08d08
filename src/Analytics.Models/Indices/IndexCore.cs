namespace Analytics.Models.Indices;

/// <summary>The steps every aggregation shares: percentiles and component means, with the gaps found.</summary>
internal sealed record IndexCore(double?[][] Percentiles, ComponentScores[] Components, IReadOnlyList<string>[] Gaps)
{
    public static IndexCore Build(IReadOnlyList<Indicator> indicators, IReadOnlyList<TerritoryIndicators> territories, double minimumShareOfIndicators)
    {
        if (minimumShareOfIndicators is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(minimumShareOfIndicators), minimumShareOfIndicators, "must be in (0, 1]");
        foreach (var component in Enum.GetValues<IndexComponent>())
            if (!indicators.Any(i => i.Component == component))
                throw new ArgumentException($"no indicator for the {component} component", nameof(indicators));
        var duplicate = territories.GroupBy(t => t.Territory).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"territory '{duplicate.Key}' is listed twice", nameof(territories));
        foreach (var t in territories)
            if (t.Values.Count != indicators.Count)
                throw new ArgumentException($"territory '{t.Territory}' has {t.Values.Count} values for {indicators.Count} indicators", nameof(territories));

        var percentiles = territories.Select(_ => new double?[indicators.Count]).ToArray();
        for (var k = 0; k < indicators.Count; k++)
        {
            var sign = indicators[k].HigherIsWorse ? 1 : -1;
            var column = PercentileRanks.Of(territories
                .Select(t => t.Values[k].HasValue ? sign * t.Values[k].Value : (double?)null).ToList());
            for (var i = 0; i < territories.Count; i++)
                percentiles[i][k] = column[i];
        }

        var components = new ComponentScores[territories.Count];
        var gaps = new IReadOnlyList<string>[territories.Count];
        for (var i = 0; i < territories.Count; i++)
        {
            var means = new Dictionary<IndexComponent, double?>();
            var missing = new List<string>();
            foreach (var component in Enum.GetValues<IndexComponent>())
            {
                var members = Enumerable.Range(0, indicators.Count).Where(k => indicators[k].Component == component).ToList();
                var present = members.Where(k => percentiles[i][k].HasValue).Select(k => percentiles[i][k]!.Value).ToList();
                if (present.Count > 0 && present.Count >= minimumShareOfIndicators * members.Count)
                    means[component] = present.Average();
                else
                {
                    means[component] = null;
                    missing.Add($"{component}: {present.Count} of {members.Count} indicators have a percentile");
                }
            }
            components[i] = new ComponentScores(
                means[IndexComponent.Exposures], means[IndexComponent.EnvironmentalEffects],
                means[IndexComponent.SensitivePopulations], means[IndexComponent.SocioeconomicFactors]);
            gaps[i] = missing;
        }
        return new IndexCore(percentiles, components, gaps);
    }

    /// <summary>10 × value / the largest value (CES scaling to 0–10); all-zero or all-missing stays as is.</summary>
    public static double?[] ScaleToTen(double?[] values)
    {
        var max = values.Where(v => v.HasValue).Select(v => v!.Value).DefaultIfEmpty(0).Max();
        return values.Select(v => v is { } x && max > 0 ? 10 * x / max : v).ToArray();
    }
}
