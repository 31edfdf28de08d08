namespace Analytics.Models.Fairness;

/// <summary>
/// What a metric's spread over a dimension's groups is measured against: Fairlearn's <c>method</c> argument of
/// <c>MetricFrame.difference()</c> and <c>MetricFrame.ratio()</c>.
/// </summary>
public enum SpreadMethod
{
    /// <summary>
    /// The groups against one another (<c>'between_groups'</c>, Fairlearn's default): difference = largest group value −
    /// smallest, ratio = smallest ÷ largest.
    /// </summary>
    BetweenGroups,

    /// <summary>
    /// Each group against the whole dimension (<c>'to_overall'</c>): difference = largest |group − overall|, ratio =
    /// smallest of min(group ÷ overall, overall ÷ group); overall = the metric over all the dimension's territories.
    /// </summary>
    ToOverall,
}
