using MathNet.Numerics.Distributions;

namespace Analytics.Models.Epidemiology;

/// <summary>A relative risk's gamma posterior, Gamma(<see cref="Shape"/>, <see cref="Rate"/>) (mean = shape / rate).</summary>
public readonly record struct GammaPosterior(double Shape, double Rate)
{
    public double Mean => Shape / Rate;

    public double Quantile(double p) => Gamma.InvCDF(Shape, Rate, p);

    /// <summary>Central credible interval at <paramref name="level"/>.</summary>
    public ConfidenceInterval CredibleInterval(double level = 0.95) =>
        new(Quantile((1 - level) / 2), Quantile(1 - (1 - level) / 2), level);

    /// <summary>P(RR &gt; <paramref name="threshold"/> | data): the exceedance probability mapped to flag areas of likely excess risk.</summary>
    public double ProbabilityAbove(double threshold) => 1 - Gamma.CDF(Shape, Rate, threshold);
}
