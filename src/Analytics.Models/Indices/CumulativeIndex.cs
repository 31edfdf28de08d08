namespace Analytics.Models.Indices;

/// <summary>
/// A CalEnviroScreen-style cumulative impact index (OEHHA, CalEnviroScreen 4.0, October 2021):
/// indicator values → percentiles → component means → pollution burden and population
/// characteristics, each scaled to 0–10 → score = burden × characteristics (0–100) → percentile.
/// </summary>
/// <remarks>
/// <para>Steps, for territory t (CES 4.0 report, chapter "Method"; data dictionary of the results):</para>
/// <list type="number">
/// <item>Percentile of each indicator among territories with a value (<see cref="PercentileRanks.Of"/>;
/// ties averaged; indicators where low is bad ranked reversed).</item>
/// <item>Component score = mean of its indicators' percentiles, over those present, provided at
/// least <c>minimumShareOfIndicators</c> of them are (default half); otherwise the component is missing.</item>
/// <item>Pollution burden = (Exposures + ½ Environmental effects) / 1.5; population characteristics =
/// (Sensitive populations + Socio-economic factors) / 2 (weights configurable).</item>
/// <item>Each scaled to 0–10: 10 × value / maximum over territories.</item>
/// <item>Score = burden score × characteristics score (≤ 100); its percentile among scored territories.</item>
/// </list>
/// <para>Missing is explicit at every step: a missing or suppressed indicator has no percentile and
/// does not count in the others' ranks; a territory with a missing component has no burden or
/// characteristics, no score and no rank, and <see cref="TerritoryScore.Gaps"/> says why.
/// Differences from CES: CES gives indicators with many zeros (e.g. cleanup sites) a percentile of
/// zero for zero values; here zeros are ranked and tied like any value, as specified for this product.</para>
/// </remarks>
public static class CumulativeIndex
{
    public const double DefaultMinimumShareOfIndicators = 0.5;

    public static IReadOnlyList<TerritoryScore> Compute(
        IReadOnlyList<Indicator> indicators,
        IReadOnlyList<TerritoryIndicators> territories,
        ComponentWeights? weights = null,
        double minimumShareOfIndicators = DefaultMinimumShareOfIndicators)
    {
        weights ??= ComponentWeights.CalEnviroScreen;
        var core = IndexCore.Build(indicators, territories, minimumShareOfIndicators);
        var burden = core.Components.Select(c => c.Burden(weights)).ToArray();
        var characteristics = core.Components.Select(c => c.Characteristics(weights)).ToArray();
        var burdenScore = IndexCore.ScaleToTen(burden);
        var characteristicsScore = IndexCore.ScaleToTen(characteristics);
        var score = burdenScore.Zip(characteristicsScore, (b, c) => b * c).ToArray();
        var scorePercentile = PercentileRanks.Of(score);
        return territories.Select((t, i) => new TerritoryScore(
            t.Territory, core.Percentiles[i], core.Components[i], burden[i], characteristics[i],
            burdenScore[i], characteristicsScore[i], score[i], scorePercentile[i], core.Gaps[i])).ToList();
    }
}
