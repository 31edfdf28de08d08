using Analytics.Models.Modelling.Bym2;
using Analytics.Models.Randomness;
using MathNet.Numerics.LinearAlgebra;

namespace Analytics.Testing;

/// <summary>
/// Spatial effects drawn from BYM2's own prior on a map, b = σ(√(1 − φ) v + √φ u*): v independent N(0, 1), u* the
/// ICAR field of each component under its sum-to-zero constraint, scaled by <see cref="AreaGraph.ScalingFactors"/>;
/// a singleton gets σ v. Data drawn with them are the case where the model is the truth, so its intervals must hold
/// the truth about as often as they claim. Dense (an eigendecomposition of the structure matrix): maps of a few
/// thousand areas.
/// </summary>
public sealed class Bym2PriorDraw
{
    private readonly AreaGraph _graph;
    private readonly double[] _scaling;
    private readonly double[] _eigenvalues;
    private readonly Matrix<double> _eigenvectors;

    public Bym2PriorDraw(AreaGraph graph)
    {
        _graph = graph;
        _scaling = graph.ScalingFactors();
        var structure = Matrix<double>.Build.Dense(graph.Count, graph.Count);
        for (var i = 0; i < graph.Count; i++)
        {
            structure[i, i] = graph.Neighbours[i].Length;
            foreach (var j in graph.Neighbours[i])
                structure[i, j] = -1;
        }
        var evd = structure.Evd(Symmetricity.Symmetric);
        _eigenvalues = [.. evd.EigenValues.Select(v => v.Real)];
        _eigenvectors = evd.EigenVectors;
    }

    /// <summary>One effect per area of the graph, in its order.</summary>
    public double[] Draw(SeededRandom random, double sigma, double phi)
    {
        // u ~ N(0, R⁺): Σ z e / √λ over the eigenvectors outside the null space (the constants of each component).
        var u = new double[_graph.Count];
        for (var e = 0; e < _eigenvalues.Length; e++)
        {
            if (_eigenvalues[e] < 1e-9)
                continue;
            var z = random.NextGaussian() / Math.Sqrt(_eigenvalues[e]);
            for (var i = 0; i < u.Length; i++)
                u[i] += z * _eigenvectors[i, e];
        }
        var b = new double[_graph.Count];
        for (var i = 0; i < b.Length; i++)
            b[i] = _graph.Neighbours[i].Length == 0
                ? sigma * random.NextGaussian()
                : sigma * (Math.Sqrt(1 - phi) * random.NextGaussian() + Math.Sqrt(phi) * u[i] / Math.Sqrt(_scaling[i]));
        return b;
    }
}
