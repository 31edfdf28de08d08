namespace Analytics.Models.Modelling.Bym2;

/// <summary>
/// The Gaussian prior of a model's area effects given its hyperparameters θ: the latent variables it
/// adds, their precision matrix Q(θ), its sum-to-zero constraints, and the prior of θ.
/// </summary>
public abstract class SpatialField
{
    protected SpatialField(AreaGraph graph)
    {
        Graph = graph;
        Structured = new int[graph.Count];
        var next = 0;
        for (var a = 0; a < graph.Count; a++)
            Structured[a] = graph.ComponentSizes[graph.Component[a]] >= 2 ? next++ : -1;
        StructuredCount = next;
        Constraints = [.. Enumerable.Range(0, graph.ComponentSizes.Count)
            .Where(c => graph.ComponentSizes[c] >= 2)
            .Select(c => Enumerable.Range(0, graph.Count).Where(a => graph.Component[a] == c).Select(a => StructuredOffset + Structured[a]).ToArray())];
    }

    public AreaGraph Graph { get; }

    /// <summary>Latent variables of the field (the model's fixed effects come after them).</summary>
    public abstract int LatentCount { get; }

    /// <summary>Names of θ's coordinates, as <see cref="Hyperparameters"/> reports them on their natural scale.</summary>
    public abstract IReadOnlyList<string> HyperparameterNames { get; }

    /// <summary>Where the search for θ's posterior mode starts.</summary>
    public abstract double[] InitialTheta { get; }

    /// <summary>The latent variable whose value enters area a's linear predictor, or −1 (no area effect).</summary>
    public abstract int EffectOf(int area);

    /// <summary>Each constraint: latent indices whose sum is zero (one per component of two areas or more).</summary>
    public IReadOnlyList<int[]> Constraints { get; }

    /// <summary>Off-diagonal non-zeros of Q(θ), whatever θ.</summary>
    public abstract IEnumerable<(int I, int J)> Links();

    /// <summary>Adds Q(θ) to <paramref name="values"/>, by slot of <paramref name="pattern"/>.</summary>
    public abstract void AddPrecision(ReadOnlySpan<double> theta, SparsePattern pattern, double[] values);

    /// <summary>The part of log |Q(θ)| (generalised determinant, on the constrained space) that varies with θ.</summary>
    public abstract double LogDeterminant(ReadOnlySpan<double> theta);

    /// <summary>log π(θ), up to a constant, with the Jacobian of θ's coordinates.</summary>
    public abstract double LogPrior(ReadOnlySpan<double> theta);

    /// <summary>θ's coordinates on their natural scale (standard deviation, mixing…), in <see cref="HyperparameterNames"/> order.</summary>
    public abstract double[] Hyperparameters(ReadOnlySpan<double> theta);

    /// <summary>Area a's index among the areas of components of two or more (the structured field), or −1 for a singleton.</summary>
    protected int[] Structured { get; }

    protected int StructuredCount { get; }

    /// <summary>Latent index of the first structured variable.</summary>
    protected abstract int StructuredOffset { get; }

    /// <summary>Adds c·R to the structured block, R the ICAR structure matrix (degrees, −1 per link), c per area's component.</summary>
    protected void AddStructure(Func<int, double> scale, SparsePattern pattern, double[] values)
    {
        for (var a = 0; a < Graph.Count; a++)
        {
            if (Structured[a] < 0)
                continue;
            var i = StructuredOffset + Structured[a];
            var c = scale(a);
            values[pattern.Slot(i, i)] += c * Graph.Neighbours[a].Length;
            foreach (var b in Graph.Neighbours[a])
                if (b > a)
                    values[pattern.Slot(i, StructuredOffset + Structured[b])] -= c;
        }
    }

    protected IEnumerable<(int I, int J)> StructureLinks() =>
        Enumerable.Range(0, Graph.Count).Where(a => Structured[a] >= 0).SelectMany(a =>
            Graph.Neighbours[a].Where(b => b > a).Select(b => (StructuredOffset + Structured[a], StructuredOffset + Structured[b])));
}

/// <summary>
/// BYM2 (Riebler, Sørbye, Simpson &amp; Rue 2016, <i>Statistical Methods in Medical Research</i>
/// 25:1145–1165): area effect bᵢ = σ(√(1 − φ) vᵢ + √φ uᵢ*), v unstructured N(0, 1), u* the ICAR
/// field scaled to marginal variance 1 (<see cref="AreaGraph.ScalingFactors"/>); φ is the share of the
/// effect's variance that is spatially structured.
/// </summary>
/// <remarks>
/// <para>Latent variables as in R-INLA's <c>bym2</c>: (b, u*), with b | u* ~ N(√(φ/τ) u*, (1 − φ)/τ),
/// τ = 1/σ². Precision: Q_bb = τ/(1−φ) I, Q_bu = −√(τφ)/(1−φ) I, Q_uu = R* + φ/(1−φ) I, where R* is the
/// scaled structure matrix; |Q| varies with θ as τⁿ (1−φ)^−n_s. A singleton has bᵢ ~ N(0, 1/τ) and no u.</para>
/// <para>θ = (log τ, logit φ). Priors: penalised complexity on σ (Simpson et al. 2017):
/// P(σ &gt; <see cref="SigmaUpper"/>) = <see cref="SigmaTailProbability"/>, i.e. σ exponential with rate
/// −ln(0.01)/1; φ uniform on (0, 1). The PC prior on φ of Riebler et al. needs the eigenvalues of R*,
/// out of reach for 35,000 areas; the uniform prior is the one their §5 compares it with.</para>
/// </remarks>
public sealed class Bym2Field : SpatialField
{
    public const double SigmaUpper = 1;
    public const double SigmaTailProbability = 0.01;

    private readonly double[] _scaling;

    public Bym2Field(AreaGraph graph) : base(graph) => _scaling = graph.ScalingFactors();

    public override int LatentCount => Graph.Count + StructuredCount;

    public override IReadOnlyList<string> HyperparameterNames { get; } = ["sigma", "phi"];

    public override double[] InitialTheta => [Math.Log(1 / (0.3 * 0.3)), 0];

    protected override int StructuredOffset => Graph.Count;

    public override int EffectOf(int area) => area;

    public override IEnumerable<(int I, int J)> Links() =>
        Enumerable.Range(0, Graph.Count).Where(a => Structured[a] >= 0).Select(a => (a, StructuredOffset + Structured[a]))
            .Concat(StructureLinks());

    public override void AddPrecision(ReadOnlySpan<double> theta, SparsePattern pattern, double[] values)
    {
        var (tau, phi) = (Math.Exp(theta[0]), Logistic(theta[1]));
        for (var a = 0; a < Graph.Count; a++)
        {
            if (Structured[a] < 0)
            {
                values[pattern.Slot(a, a)] += tau;
                continue;
            }
            var u = StructuredOffset + Structured[a];
            values[pattern.Slot(a, a)] += tau / (1 - phi);
            values[pattern.Slot(a, u)] -= Math.Sqrt(tau * phi) / (1 - phi);
            values[pattern.Slot(u, u)] += phi / (1 - phi);
        }
        AddStructure(a => _scaling[a], pattern, values);
    }

    public override double LogDeterminant(ReadOnlySpan<double> theta) =>
        Graph.Count * theta[0] - StructuredCount * Math.Log(1 - Logistic(theta[1]));

    public override double LogPrior(ReadOnlySpan<double> theta)
    {
        var rate = -Math.Log(SigmaTailProbability) / SigmaUpper;
        var phi = Logistic(theta[1]);
        // σ = exp(−θ₀/2) ~ Exponential(rate); |dσ/dθ₀| = σ/2. φ uniform; |dφ/dθ₁| = φ(1 − φ).
        return Math.Log(rate / 2) - rate * Math.Exp(-theta[0] / 2) - theta[0] / 2 + Math.Log(phi) + Math.Log(1 - phi);
    }

    public override double[] Hyperparameters(ReadOnlySpan<double> theta) => [Math.Exp(-theta[0] / 2), Logistic(theta[1])];

    internal static double Logistic(double x) => 1 / (1 + Math.Exp(-x));
}

/// <summary>
/// The intrinsic CAR prior of Besag, York &amp; Mollié (1991) as GeoBUGS's <c>car.normal</c> has it:
/// bᵢ | b₋ᵢ ~ N(mean of the neighbours' b, 1/(τ nᵢ)), sum-to-zero, islands with no effect (bᵢ = 0),
/// τ ~ Gamma(shape, rate). Unscaled, as in GeoBUGS: σ = 1/√τ is a conditional standard deviation.
/// </summary>
public sealed class IcarField(AreaGraph graph, double shape, double rate) : SpatialField(graph)
{
    public override int LatentCount => StructuredCount;

    public override IReadOnlyList<string> HyperparameterNames { get; } = ["sigma"];

    public override double[] InitialTheta => [0];

    protected override int StructuredOffset => 0;

    public override int EffectOf(int area) => Structured[area];

    public override IEnumerable<(int I, int J)> Links() => StructureLinks();

    public override void AddPrecision(ReadOnlySpan<double> theta, SparsePattern pattern, double[] values)
    {
        var tau = Math.Exp(theta[0]);
        AddStructure(_ => tau, pattern, values);
    }

    public override double LogDeterminant(ReadOnlySpan<double> theta) => (StructuredCount - Constraints.Count) * theta[0];

    // Gamma(shape, rate) on τ = e^θ, with the Jacobian e^θ.
    public override double LogPrior(ReadOnlySpan<double> theta) => shape * theta[0] - rate * Math.Exp(theta[0]);

    public override double[] Hyperparameters(ReadOnlySpan<double> theta) => [Math.Exp(-theta[0] / 2)];
}
