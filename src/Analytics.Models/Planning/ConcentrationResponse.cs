using Analytics.Models.Modelling;

namespace Analytics.Models.Planning;

/// <summary>
/// A concentration–response function from the literature: a relative risk with its 95% confidence interval
/// per increment of exposure (e.g. RR 1.15 (1.05–1.25) per 10 µg/m³ of PM2.5), turned into the log-linear
/// association <see cref="ExposureScenario"/> runs with.
/// </summary>
/// <remarks>
/// β = ln(RR) / increment. The standard error is read off the width of the interval on the log scale,
/// se = (ln high − ln low) / (2 z₀.₉₇₅ · increment), which assumes the published interval is a 95% Wald
/// interval on that scale; a published interval that is not symmetric there gets the average half-width.
/// </remarks>
/// <param name="RelativeRisk">Relative risk per <paramref name="Increment"/>.</param>
/// <param name="Low">Lower 95% confidence limit of the relative risk.</param>
/// <param name="High">Upper 95% confidence limit of the relative risk.</param>
/// <param name="Increment">Exposure increment the relative risk is given for, in the scenario's exposure units.</param>
public sealed record ConcentrationResponse(double RelativeRisk, double Low, double High, double Increment)
{
    /// <summary>The association per unit of exposure.</summary>
    public ExposureAssociation Association
    {
        get
        {
            if (!(Low > 0 && Low <= RelativeRisk && RelativeRisk <= High) || double.IsInfinity(High))
                throw new ArgumentException($"relative risk {RelativeRisk} ({Low}–{High}): need 0 < low ≤ RR ≤ high, all finite");
            if (!(Increment > 0) || double.IsInfinity(Increment))
                throw new ArgumentException($"increment {Increment}: it must be a positive number");
            return new ExposureAssociation(
                Math.Log(RelativeRisk) / Increment,
                (Math.Log(High) - Math.Log(Low)) / (2 * PoissonGlm.Z95 * Increment));
        }
    }
}
