namespace Analytics.Models.Fairness;

/// <summary>
/// Names of the dimensions every audit covers (DESIGN §2 "Bias"), as keys of
/// <see cref="TerritoryOutcome.Groups"/>. Labels follow the demo and socio-economic files.
/// </summary>
public static class FairnessDimensions
{
    /// <summary>FDep-like deprivation quintile over communes: "1" (least) … "5" (most deprived).</summary>
    public const string DeprivationQuintile = "deprivation_quintile";

    /// <summary>INSEE municipal density grid class: "urban", "intermediate", "rural".</summary>
    public const string DensityClass = "density_class";

    /// <summary>"mainland" or "overseas" (DROM).</summary>
    public const string TerritoryType = "territory_type";

    /// <summary>Label of <see cref="TerritoryType"/> for overseas territories.</summary>
    public const string Overseas = "overseas";

    /// <summary>Label of <see cref="TerritoryType"/> for mainland territories.</summary>
    public const string Mainland = "mainland";
}
