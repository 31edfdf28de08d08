namespace Analytics.Models.Planning;

/// <summary>
/// How much exposure a scenario removes: the same absolute amount everywhere, or a percentage of each
/// territory's current value. Never more than the current value: a concentration cannot go below 0.
/// </summary>
public sealed record ExposureReduction
{
    private ExposureReduction(double? amount, double? percent)
    {
        Amount = amount;
        Percent = percent;
    }

    /// <summary>Absolute reduction Δ in exposure units, when the scenario is absolute.</summary>
    public double? Amount { get; }

    /// <summary>Percentage p of current exposure (0–100), when the scenario is relative.</summary>
    public double? Percent { get; }

    /// <summary>Every included territory loses <paramref name="amount"/> units (or all it has, if less).</summary>
    public static ExposureReduction Absolute(double amount) =>
        amount >= 0 && !double.IsInfinity(amount) ? new(amount, null) : throw new ArgumentOutOfRangeException(nameof(amount), amount, "must be a non-negative number");

    /// <summary>Every included territory loses <paramref name="percent"/>% of its exposure: Δᵢ = p/100 × xᵢ.</summary>
    public static ExposureReduction Percentage(double percent) =>
        percent is >= 0 and <= 100 ? new(null, percent) : throw new ArgumentOutOfRangeException(nameof(percent), percent, "must lie in [0, 100]");

    /// <summary>The reduction Δ for a territory of current exposure <paramref name="exposure"/>: min(Δ, x).</summary>
    public double For(double exposure) => Math.Min(Amount ?? Percent!.Value / 100 * exposure, exposure);
}
