namespace Analytics.Models.Secrecy;

/// <summary>
/// The French statistical-secrecy rule for counts of cases: no published cell may hold between 1
/// and <see cref="Threshold"/> − 1 cases, nor let a reader compute such a cell from published totals.
/// </summary>
/// <remarks>
/// Zero is publishable. When the population of a cell is published too, its complement
/// (population − cases, the people without the condition) is protected the same way, because
/// "12 cases among 15 residents" says as much about the 3 others as "3 cases" would.
/// </remarks>
public sealed record SecrecyRule
{
    /// <summary>Cells of 1 to 10 cases are secret: the smallest publishable non-zero count is 11.</summary>
    public const int DefaultThreshold = 11;

    /// <param name="threshold">Smallest publishable non-zero count.</param>
    /// <param name="protectComplements">Also suppress cells whose complement (population − cases) is 1 to threshold − 1.</param>
    /// <param name="allowThresholdBelowDefault">
    /// A threshold below 11 breaks the rule the product promises; it is refused unless this says
    /// the lower threshold was decided on purpose (e.g. a data set under a lighter agreement).
    /// </param>
    public SecrecyRule(int threshold = DefaultThreshold, bool protectComplements = true, bool allowThresholdBelowDefault = false)
    {
        if (threshold < 2)
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "the secrecy threshold must be at least 2");
        if (threshold < DefaultThreshold && !allowThresholdBelowDefault)
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold,
                $"a secrecy threshold below {DefaultThreshold} needs allowThresholdBelowDefault: true");
        Threshold = threshold;
        ProtectComplements = protectComplements;
    }

    public static SecrecyRule Default { get; } = new();

    /// <summary>Smallest publishable non-zero count (11 by default).</summary>
    public int Threshold { get; }

    public bool ProtectComplements { get; }

    /// <summary>True for a count of 1 to <see cref="Threshold"/> − 1.</summary>
    public bool IsSmall(long count) => count >= 1 && count < Threshold;

    /// <summary>Why a cell must be suppressed on its own, or <see cref="CellStatus.Published"/> when it need not be.</summary>
    public CellStatus PrimaryStatus(long cases, long? population)
    {
        if (IsSmall(cases))
            return CellStatus.Primary;
        if (ProtectComplements && population is { } n && cases > 0 && IsSmall(n - cases))
            return CellStatus.PrimaryComplement;
        return CellStatus.Published;
    }
}
