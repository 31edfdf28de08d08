namespace Analytics.Models.Modelling;

/// <summary>
/// One row of a risk model's data: one territory in one period, its observed cases, what they are
/// measured against, and the named features (values in <see cref="ModelDataset.FeatureNames"/> order).
/// </summary>
/// <param name="Territory">Territory code (e.g. INSEE commune code).</param>
/// <param name="Period">Period label (e.g. "2021").</param>
/// <param name="Block">Spatial block of neighbouring territories (see <see cref="SpatialBlocks"/>): cross-validation never splits a block.</param>
/// <param name="Cases">Observed cases (non-negative).</param>
/// <param name="Population">Persons (or person-years) at risk: rates per 100,000 are cases / population.</param>
/// <param name="ExpectedCases">
/// Expected cases from indirect standardisation (Σ stratum population × reference rate). When given,
/// it is the model's exposure and predicted SIR = μ / expected; when null the exposure is the population.
/// Either every row of a data set has it or none does.
/// </param>
/// <param name="Features">Feature values, one per feature name.</param>
/// <param name="Weight">Training weight (e.g. from bias mitigation), multiplying the row's likelihood; 1 by default.</param>
public sealed record ModelRow(
    string Territory,
    string Period,
    string Block,
    double Cases,
    double Population,
    double? ExpectedCases,
    IReadOnlyList<double> Features,
    double Weight = 1)
{
    /// <summary>What the cases are measured against in the model's offset: expected cases when given, else population.</summary>
    public double Exposure => ExpectedCases ?? Population;
}
