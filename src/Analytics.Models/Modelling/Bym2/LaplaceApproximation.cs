namespace Analytics.Models.Modelling.Bym2;

/// <summary>One count of a latent Gaussian Poisson model: yᵣ ~ Poisson(exp ηᵣ), ηᵣ = offsetᵣ + zᵣᵀβ + x[effect of the row's area].</summary>
/// <param name="Area">Index of the row's area in the field's graph.</param>
/// <param name="Cases">Observed count.</param>
/// <param name="Offset">log of the exposure (expected cases or population).</param>
/// <param name="Covariates">Fixed-effect design zᵣ, the intercept's 1 included.</param>
/// <param name="Weight">Multiplies the row's log-likelihood.</param>
public sealed record LatentRow(int Area, double Cases, double Offset, double[] Covariates, double Weight = 1);

/// <summary>Settings of <see cref="LaplaceApproximation.Fit"/>.</summary>
/// <param name="FixedEffectPrecision">Prior precision of each fixed effect (0: flat), in covariate order.</param>
/// <param name="Theta">
/// Hyperparameters to hold fixed (empirical Bayes: one Gaussian approximation, no search, no integration),
/// e.g. the mode found on all rows, reused by the cross-validation folds. Null: θ's posterior is integrated.
/// </param>
public sealed record LaplaceSettings(IReadOnlyList<double> FixedEffectPrecision, IReadOnlyList<double>? Theta = null);

/// <summary>
/// Fits a latent Gaussian model with Poisson counts the way R-INLA does (Rue, Martino &amp; Chopin 2009,
/// <i>JRSS B</i> 71:319–392), with the Gaussian approximation of the latent field: for given
/// hyperparameters θ, Newton iterations find the mode x*(θ) of the latent field (area effects and fixed
/// effects) under the field's sum-to-zero constraints; the Laplace approximation gives
/// log π(θ | y) = log π(θ) + log π(y | x*) + log π(x* | θ) − log π_G(x* | θ, y) up to a constant, where
/// log π_G(x* | θ, y) = ½ log |Q + H| + ½ log |A (Q + H)⁻¹ Aᵀ| under the constraints A x = 0; θ's
/// posterior is then integrated on R-INLA's central composite design (CCD, §6.5 of the paper) around its
/// mode, and the latent field's posterior is the weighted mixture of the Gaussian approximations
/// N(x*(θₖ), Q(θₖ)⁻¹) at the design's points.
/// </summary>
/// <remarks>
/// <para>Constraints: by conditioning by kriging (Rue &amp; Held 2005, §2.3.3): x ← x − W S⁻¹ A x with
/// W = Q⁻¹Aᵀ, S = A W, and Cov(x | A x = 0) = Q⁻¹ − W S⁻¹ Wᵀ. The intrinsic prior is made proper for the
/// factorisation by adding 10⁻⁶ of each latent diagonal, as R-INLA adds a small diagonal; the constrained
/// directions this touches are removed by the kriging.</para>
/// <para>Cost: each evaluation of log π(θ | y) is a few sparse factorisations, warm-started from the
/// latent mode at the current θ; the selected inverse (the expensive part) is computed only at the
/// design's points. Evaluations that do not depend on each other (the finite differences of one
/// search step, the design's points) run in parallel.</para>
/// <para>Deterministic: no random numbers, and every parallel evaluation starts from the same latent
/// field and is combined in a fixed order, so the same rows and settings give the same numbers
/// whatever the number of cores.</para>
/// </remarks>
public static class LaplaceApproximation
{
    private const double Ridge = 1e-6;

    // R-INLA's default f₀: the design's points lie on the sphere of radius f₀√d in standardised coordinates.
    private const double DesignRadius = 1.1;

    // The search stops once a full Newton step moves θ by less than this many posterior standard deviations.
    private const double ModeTolerance = 0.05;

    public static LaplacePosterior Fit(SpatialField field, IReadOnlyList<LatentRow> rows, LaplaceSettings settings)
    {
        if (rows.Count == 0)
            throw new ArgumentException("no rows to fit");
        var problem = new Problem(field, rows, settings.FixedEffectPrecision);
        var thetaCount = field.InitialTheta.Length;
        if (settings.Theta is { } fixedTheta)
        {
            if (fixedTheta.Count != thetaCount)
                throw new ArgumentException($"{fixedTheta.Count} hyperparameters given for a field that has {thetaCount}");
            var at = problem.Mode([.. fixedTheta], problem.Start());
            return problem.Mix([(problem.Moments(at), 0.0)], at);
        }

        var (centre, hessian) = Maximise(problem, field.InitialTheta);
        var design = Design(problem, centre, hessian);
        var moments = new Moments[design.Count];
        moments[0] = problem.Moments(centre);
        Parallel.For(1, design.Count, k => moments[k] = problem.Moments(problem.Mode(design[k].Theta, centre.X)));
        return problem.Mix([.. moments.Select((m, k) => (m, m.LogPosterior + Math.Log(design[k].Weight)))], centre);
    }

    // The CCD of Rue, Martino & Chopin (2009, §6.5) in standardised coordinates z, θ = mode + V Λ^(−1/2) z
    // with −H = V Λ Vᵀ: the centre, 2d axial points at ±f₀√d and the 2ᵈ factorial points (±f₀, …, ±f₀) —
    // for d ≤ 2, the only dimensions handled here, the fractional factorial of resolution V is the full
    // one, and for d = 1 the factorial points are the axial ones. As R-INLA does, each half-axis is
    // stretched by the posterior's own spread on that side, measured at z = ±√2 (where a Gaussian's log
    // density has dropped by 1). Weights (before the density at the point): the centre 1 − (n−1)w and
    // every other point w = 1 / ((n−1)(1 + e^(−f²/2)(f²/d − 1))), f = f₀√d, which make the design exact
    // for E[zᵀz] = d when the posterior is Gaussian (GMRFLib's formula); unlike R-INLA, a point's weight
    // is also multiplied by the stretches of its half-axes, the volume it stands for
    // (measured on a 145-area world like LaplaceApproximationTests': latent means 0.05 sd from a fine grid's with it, 0.09 without).
    private static List<(double[] Theta, double Weight)> Design(Problem problem, State centre, double[][] hessian)
    {
        var d = centre.Theta.Length;
        var (values, vectors) = SymmetricEigen([.. hessian.Select(r => r.Select(v => -v).ToArray())]);
        if (!values.All(v => v > 0))
            throw new InvalidOperationException($"θ's log-posterior is not concave at its mode ({string.Join(", ", centre.Theta)})");
        double[] ToTheta(double[] z)
        {
            var theta = (double[])centre.Theta.Clone();
            for (var a = 0; a < d; a++)
                for (var b = 0; b < d; b++)
                    theta[a] += vectors[a][b] * z[b] / Math.Sqrt(values[b]);
            return theta;
        }
        double[] Axis(int b, double length)
        {
            var z = new double[d];
            z[b] = length;
            return z;
        }

        var probes = Enumerable.Range(0, 2 * d).Select(k => ToTheta(Axis(k / 2, k % 2 == 0 ? Math.Sqrt(2) : -Math.Sqrt(2)))).ToArray();
        var drops = new double[probes.Length];
        Parallel.For(0, probes.Length, k => drops[k] = centre.LogPosterior - problem.Mode(probes[k], centre.X).LogPosterior);
        var stretch = drops.Select(drop => drop > 0 ? Math.Clamp(Math.Sqrt(1 / drop), 0.1, 10) : 1).ToArray();

        var f = DesignRadius * Math.Sqrt(d);
        var points = new List<double[]> { new double[d] };
        for (var b = 0; b < d; b++)
        {
            points.Add(Axis(b, f));
            points.Add(Axis(b, -f));
        }
        if (d >= 2)
            for (var corner = 0; corner < 1 << d; corner++)
                points.Add([.. Enumerable.Range(0, d).Select(b => (corner >> b & 1) == 0 ? DesignRadius : -DesignRadius)]);
        var n = points.Count;
        var w = 1 / ((n - 1) * (1 + Math.Exp(-f * f / 2) * (f * f / d - 1)));
        double Stretch(double v, int b) => v == 0 ? 1 : stretch[2 * b + (v > 0 ? 0 : 1)];
        return [.. points.Select((z, k) => (
            ToTheta([.. z.Select((v, b) => v * Stretch(v, b))]),
            (k == 0 ? 1 - (n - 1) * w : w) * z.Select(Stretch).Aggregate(1.0, (product, s) => product * s)))];
    }

    // Newton's method on θ (dimension 1 or 2) with central finite differences, evaluated in parallel from
    // the current latent mode; steps capped at 1 and halved until the log-density rises. Returns the state
    // at the mode and the Hessian of the last step, the design's metric.
    private static (State Centre, double[][] Hessian) Maximise(Problem problem, double[] start)
    {
        const double h = 0.01;
        var d = start.Length;
        var centre = problem.Mode(start, problem.Start());
        for (var iteration = 0; iteration < 50; iteration++)
        {
            // ±h on each axis, then (+h, +h) and (−h, −h) on each pair: with the axis values, 2 evaluations per pair, not 4.
            var probes = new List<double[]>();
            for (var a = 0; a < d; a++)
            {
                probes.Add(Shift(centre.Theta, a, h));
                probes.Add(Shift(centre.Theta, a, -h));
            }
            for (var a = 0; a < d; a++)
                for (var b = 0; b < a; b++)
                {
                    probes.Add(Shift(Shift(centre.Theta, a, h), b, h));
                    probes.Add(Shift(Shift(centre.Theta, a, -h), b, -h));
                }
            var f = new double[probes.Count];
            Parallel.For(0, probes.Count, k => f[k] = problem.Mode(probes[k], centre.X).LogPosterior);

            var value = centre.LogPosterior;
            var gradient = new double[d];
            var hessian = Enumerable.Range(0, d).Select(_ => new double[d]).ToArray();
            for (var a = 0; a < d; a++)
            {
                var (plus, minus) = (f[2 * a], f[2 * a + 1]);
                gradient[a] = (plus - minus) / (2 * h);
                hessian[a][a] = (plus - 2 * value + minus) / (h * h);
            }
            var pair = 2 * d;
            for (var a = 0; a < d; a++)
                for (var b = 0; b < a; b++, pair += 2)
                    hessian[a][b] = hessian[b][a] =
                        (f[pair] + f[pair + 1] - f[2 * a] - f[2 * a + 1] - f[2 * b] - f[2 * b + 1] + 2 * value) / (2 * h * h);

            var (step, standardisedLength) = NewtonStep(gradient, hessian);
            var length = Math.Sqrt(step.Sum(s => s * s));
            if (length > 1)
                for (var a = 0; a < d; a++)
                    step[a] /= length;
            State? accepted = null;
            var halvings = 0;
            for (; halvings < 20 && accepted is null; halvings++)
            {
                var candidate = problem.Mode([.. centre.Theta.Select((t, a) => t + step[a])], centre.X);
                if (candidate.LogPosterior >= value - 1e-12)
                    accepted = candidate;
                else
                    for (var a = 0; a < d; a++)
                        step[a] /= 2;
            }
            if (accepted is null)
                return (centre, hessian);
            centre = accepted;
            if (standardisedLength < ModeTolerance && length <= 1 && halvings == 1)
                return (centre, hessian);
        }
        throw new InvalidOperationException("the posterior mode of the hyperparameters was not found in 50 Newton steps");
    }

    // −H⁻¹g and its length in the metric −H (posterior standard deviations) when H is negative definite,
    // else the gradient direction and an infinite length.
    private static (double[] Step, double StandardisedLength) NewtonStep(double[] gradient, double[][] hessian)
    {
        var (values, vectors) = SymmetricEigen(hessian);
        if (values.All(v => v < 0))
        {
            var step = new double[gradient.Length];
            var squared = 0.0;
            for (var k = 0; k < values.Length; k++)
            {
                var projection = 0.0;
                for (var a = 0; a < gradient.Length; a++)
                    projection += vectors[a][k] * gradient[a];
                for (var a = 0; a < gradient.Length; a++)
                    step[a] -= vectors[a][k] * projection / values[k];
                squared -= projection * projection / values[k];
            }
            return (step, Math.Sqrt(squared));
        }
        return ((double[])gradient.Clone(), double.PositiveInfinity);
    }

    private static double[] Shift(double[] theta, int a, double by)
    {
        var shifted = (double[])theta.Clone();
        shifted[a] += by;
        return shifted;
    }

    // Eigen-decomposition of a symmetric 1 × 1 or 2 × 2 matrix: values and column eigenvectors.
    private static (double[] Values, double[][] Vectors) SymmetricEigen(double[][] m)
    {
        if (m.Length == 1)
            return ([m[0][0]], [[1.0]]);
        if (m.Length != 2)
            throw new NotSupportedException("hyperparameters of dimension 1 or 2 only");
        var (a, b, c) = (m[0][0], m[0][1], m[1][1]);
        if (Math.Abs(b) < 1e-300)
            return ([a, c], [[1.0, 0.0], [0.0, 1.0]]);
        var mean = (a + c) / 2;
        var radius = Math.Sqrt((a - c) * (a - c) / 4 + b * b);
        var (l1, l2) = (mean + radius, mean - radius);
        double[] v1 = [b, l1 - a], v2 = [b, l2 - a];
        var n1 = Math.Sqrt(v1[0] * v1[0] + v1[1] * v1[1]);
        var n2 = Math.Sqrt(v2[0] * v2[0] + v2[1] * v2[1]);
        return ([l1, l2], [[v1[0] / n1, v2[0] / n2], [v1[1] / n1, v2[1] / n2]]);
    }

    /// <summary>The mode of the latent field at one θ, with what its moments need.</summary>
    private sealed record State(double[] Theta, double[] X, double LogPosterior, SparseCholesky.Factor Factor, double[][] W, double[,] SInverse);

    /// <summary>What the mixture keeps of one θ: the Gaussian approximation's moments (the factor is let go).</summary>
    private sealed record Moments(double[] Theta, double LogPosterior, double[] BetaMean, double[,] BetaSecond,
        double[] EffectMean, double[] EffectSecond, double[,] EffectBeta);

    private sealed class Problem
    {
        private readonly SpatialField _field;
        private readonly IReadOnlyList<LatentRow> _rows;
        private readonly IReadOnlyList<double> _betaPrecision;
        private readonly int _latent;
        private readonly int _p;
        private readonly int _size;
        private readonly SparsePattern _pattern;
        private readonly SparseCholesky _cholesky;
        private readonly int[] _rowEffect;
        private readonly int[] _effectDiagonal;
        private readonly int[] _latentDiagonal;
        private readonly int[][] _effectBeta;
        private readonly int[][] _betaBeta;
        private readonly int[] _slotRow;
        private readonly int[] _slotColumn;

        public Problem(SpatialField field, IReadOnlyList<LatentRow> rows, IReadOnlyList<double> betaPrecision)
        {
            _field = field;
            _rows = rows;
            _betaPrecision = betaPrecision;
            _latent = field.LatentCount;
            _p = rows[0].Covariates.Length;
            if (betaPrecision.Count != _p)
                throw new ArgumentException($"{betaPrecision.Count} fixed-effect precisions for {_p} covariates");
            _size = _latent + _p;
            _rowEffect = [.. rows.Select(r => r.Covariates.Length == _p ? field.EffectOf(r.Area) : throw new ArgumentException("rows with different numbers of covariates"))];
            // Every area's effect is linked to the fixed effects, rows or not, so that the covariances the
            // predictions need (held-out areas included) lie in the factor's pattern.
            var effects = Enumerable.Range(0, field.Graph.Count).Select(field.EffectOf).Where(e => e >= 0).ToArray();
            var links = field.Links()
                .Concat(effects.SelectMany(e => Enumerable.Range(0, _p).Select(j => (e, _latent + j))))
                .Concat(Enumerable.Range(0, _p).SelectMany(j => Enumerable.Range(0, j).Select(k => (_latent + j, _latent + k))));
            _pattern = SparsePattern.Create(_size, links, [.. Enumerable.Range(_latent, _p)]);
            _cholesky = new SparseCholesky(_pattern);
            _latentDiagonal = [.. Enumerable.Range(0, _latent).Select(i => _pattern.Slot(i, i))];
            _effectDiagonal = new int[_latent];
            _effectBeta = new int[_latent][];
            foreach (var e in effects)
            {
                _effectDiagonal[e] = _pattern.Slot(e, e);
                _effectBeta[e] = [.. Enumerable.Range(0, _p).Select(j => _pattern.Slot(e, _latent + j))];
            }
            _betaBeta = [.. Enumerable.Range(0, _p).Select(j => Enumerable.Range(0, _p).Select(k => _pattern.Slot(_latent + j, _latent + k)).ToArray())];
            (_slotRow, _slotColumn) = _pattern.Entries();
        }

        public int FactorSize => _cholesky.FactorSize;

        public double[] Start() => new double[_size];

        public State Mode(double[] theta, double[] start)
        {
            var prior = new double[_pattern.SlotCount];
            _field.AddPrecision(theta, _pattern, prior);
            for (var j = 0; j < _p; j++)
                prior[_betaBeta[j][j]] += _betaPrecision[j];
            // The ridge is part of the objective as of its Hessian: where they differed (φ near 1, where
            // Q's diagonal is large) Newton's fixed point was not the objective's maximum and never converged.
            foreach (var slot in _latentDiagonal)
                prior[slot] *= 1 + Ridge;

            var x = (double[])start.Clone();
            var objective = Objective(x, prior);
            State? state = null;
            SparseCholesky.Factor? factor = null;
            var values = new double[prior.Length];
            for (var iteration = 0; iteration < 100; iteration++)
            {
                (factor, var rhs) = Linearise(x, prior, values, factor);
                var (w, sInverse, logS) = Kriging(factor);
                var target = Constrain(factor.Solve(rhs), w, sInverse);
                // A Newton step this small puts x at the mode: the factor at x is then the one the Laplace formula needs.
                if (x.Select((v, i) => Math.Abs(target[i] - v)).Max() < 1e-8)
                {
                    var logPosterior = _field.LogPrior(theta) + objective + 0.5 * _field.LogDeterminant(theta)
                        - 0.5 * factor.LogDeterminant() - 0.5 * logS;
                    state = new State(theta, x, logPosterior, factor, w, sInverse);
                    break;
                }
                var step = 1.0;
                while (true)
                {
                    var candidate = x.Select((v, i) => v + step * (target[i] - v)).ToArray();
                    var candidateObjective = Objective(candidate, prior);
                    if (candidateObjective >= objective - 1e-9 * Math.Abs(objective) || step < 1e-6)
                    {
                        (x, objective) = (candidate, candidateObjective);
                        break;
                    }
                    step /= 2;
                }
            }
            return state ?? throw new InvalidOperationException($"the latent field's mode was not found in 100 Newton steps at θ = ({string.Join(", ", theta)})");
        }

        // log π(y | x) − ½ xᵀQx.
        private double Objective(double[] x, double[] prior)
        {
            var sum = 0.0;
            for (var r = 0; r < _rows.Count; r++)
            {
                var eta = Eta(r, x);
                var row = _rows[r];
                sum += row.Weight * (row.Cases * eta - Math.Exp(eta));
            }
            var quadratic = 0.0;
            for (var s = 0; s < prior.Length; s++)
            {
                var (i, j) = (_slotRow[s], _slotColumn[s]);
                quadratic += (i == j ? 1 : 2) * prior[s] * x[i] * x[j];
            }
            return sum - 0.5 * quadratic;
        }

        private double Eta(int r, double[] x)
        {
            var row = _rows[r];
            var eta = row.Offset;
            for (var j = 0; j < _p; j++)
                eta += row.Covariates[j] * x[_latent + j];
            var e = _rowEffect[r];
            return e >= 0 ? eta + x[e] : eta;
        }

        // Q + H(x) factorised, with H the likelihood's negative Hessian Σ w μ a aᵀ, and the Newton
        // right-hand side H x + Σ w (y − μ) a, a = the row's design over the latent vector; values and
        // the previous iteration's factor are storage to reuse.
        private (SparseCholesky.Factor, double[]) Linearise(double[] x, double[] prior, double[] values, SparseCholesky.Factor? previous)
        {
            Array.Copy(prior, values, prior.Length);
            var rhs = new double[_size];
            for (var r = 0; r < _rows.Count; r++)
            {
                var row = _rows[r];
                var eta = Eta(r, x);
                var mu = Math.Exp(eta);
                var curvature = row.Weight * mu;
                var linear = eta - row.Offset;
                var coefficient = curvature * linear + row.Weight * (row.Cases - mu);
                var e = _rowEffect[r];
                if (e >= 0)
                {
                    values[_effectDiagonal[e]] += curvature;
                    rhs[e] += coefficient;
                }
                for (var j = 0; j < _p; j++)
                {
                    var zj = row.Covariates[j];
                    rhs[_latent + j] += coefficient * zj;
                    if (e >= 0)
                        values[_effectBeta[e][j]] += curvature * zj;
                    for (var k = 0; k <= j; k++)
                        values[_betaBeta[j][k]] += curvature * zj * row.Covariates[k];
                }
            }
            return (_cholesky.Factorize(values, previous), rhs);
        }

        // W = Q⁻¹Aᵀ, S⁻¹ and log |S| with S = A W: the constraints' correction and their term of the Laplace formula.
        private (double[][] W, double[,] SInverse, double LogS) Kriging(SparseCholesky.Factor factor)
        {
            var constraints = _field.Constraints;
            var w = new double[constraints.Count][];
            for (var c = 0; c < constraints.Count; c++)
            {
                var a = new double[_size];
                foreach (var i in constraints[c])
                    a[i] = 1;
                w[c] = factor.Solve(a);
            }
            var k = constraints.Count;
            var s = new double[k, k];
            for (var c = 0; c < k; c++)
                for (var d = 0; d < k; d++)
                    s[c, d] = constraints[c].Sum(i => w[d][i]);
            return k == 0 ? (w, s, 0) : (w, Cholesky.Inverse(s, [.. Enumerable.Range(0, k).Select(c => $"constraint {c}")]), Cholesky.LogDeterminant(s));
        }

        private double[] Constrain(double[] x, double[][] w, double[,] sInverse)
        {
            var constraints = _field.Constraints;
            var ax = constraints.Select(c => c.Sum(i => x[i])).ToArray();
            for (var c = 0; c < constraints.Count; c++)
            {
                var coefficient = 0.0;
                for (var d = 0; d < constraints.Count; d++)
                    coefficient += sInverse[c, d] * ax[d];
                for (var i = 0; i < x.Length; i++)
                    x[i] -= w[c][i] * coefficient;
            }
            return x;
        }

        // Cov(xᵢ, xⱼ | A x = 0) = (Q⁻¹)ᵢⱼ − Σ Wᵢc (S⁻¹)cd Wⱼd.
        private static double Covariance(State state, int i, int j)
        {
            var value = state.Factor.Inverse(i, j);
            var k = state.W.Length;
            for (var c = 0; c < k; c++)
                for (var d = 0; d < k; d++)
                    value -= state.W[c][i] * state.SInverse[c, d] * state.W[d][j];
            return value;
        }

        // E[xxᵀ] at one θ over the entries the posterior reports; the selected inverse is computed here.
        public Moments Moments(State state)
        {
            var x = state.X;
            var areas = _field.Graph.Count;
            var betaMean = new double[_p];
            var betaSecond = new double[_p, _p];
            for (var j = 0; j < _p; j++)
            {
                betaMean[j] = x[_latent + j];
                for (var k = 0; k < _p; k++)
                    betaSecond[j, k] = Covariance(state, _latent + j, _latent + k) + x[_latent + j] * x[_latent + k];
            }
            var effectMean = new double[areas];
            var effectSecond = new double[areas];
            var effectBeta = new double[areas, _p];
            for (var a = 0; a < areas; a++)
            {
                var e = _field.EffectOf(a);
                if (e < 0)
                    continue;
                effectMean[a] = x[e];
                effectSecond[a] = Covariance(state, e, e) + x[e] * x[e];
                for (var j = 0; j < _p; j++)
                    effectBeta[a, j] = Covariance(state, e, _latent + j) + x[e] * x[_latent + j];
            }
            return new Moments(state.Theta, state.LogPosterior, betaMean, betaSecond, effectMean, effectSecond, effectBeta);
        }

        // The mixture of the points' Gaussian approximations, point k weighted by exp(its log weight), normalised.
        public LaplacePosterior Mix(IReadOnlyList<(Moments Moments, double LogWeight)> points, State centre)
        {
            var areas = _field.Graph.Count;
            var effectMean = new double[areas];
            var effectSecond = new double[areas];
            var effectBeta = new double[areas, _p];
            var betaMean = new double[_p];
            var betaSecond = new double[_p, _p];
            var names = _field.HyperparameterNames;
            var hyperMean = new double[names.Count];
            var hyperSecond = new double[names.Count];
            var top = points.Max(p => p.LogWeight);
            var weights = points.Select(p => Math.Exp(p.LogWeight - top)).ToArray();
            var total = weights.Sum();
            for (var k = 0; k < points.Count; k++)
            {
                var (m, weight) = (points[k].Moments, weights[k] / total);
                for (var j = 0; j < _p; j++)
                {
                    betaMean[j] += weight * m.BetaMean[j];
                    for (var l = 0; l < _p; l++)
                        betaSecond[j, l] += weight * m.BetaSecond[j, l];
                }
                for (var a = 0; a < areas; a++)
                {
                    effectMean[a] += weight * m.EffectMean[a];
                    effectSecond[a] += weight * m.EffectSecond[a];
                    for (var j = 0; j < _p; j++)
                        effectBeta[a, j] += weight * m.EffectBeta[a, j];
                }
                var natural = _field.Hyperparameters(m.Theta);
                for (var h = 0; h < names.Count; h++)
                {
                    hyperMean[h] += weight * natural[h];
                    hyperSecond[h] += weight * natural[h] * natural[h];
                }
            }
            var betaCovariance = new double[_p, _p];
            for (var j = 0; j < _p; j++)
                for (var k = 0; k < _p; k++)
                    betaCovariance[j, k] = betaSecond[j, k] - betaMean[j] * betaMean[k];
            var effectVariance = new double[areas];
            for (var a = 0; a < areas; a++)
            {
                effectVariance[a] = effectSecond[a] - effectMean[a] * effectMean[a];
                for (var j = 0; j < _p; j++)
                    effectBeta[a, j] -= effectMean[a] * betaMean[j];
            }
            var atMode = _field.Hyperparameters(centre.Theta);
            var hyperparameters = names.Select((name, h) =>
                new HyperparameterSummary(name, hyperMean[h], Math.Sqrt(Math.Max(0, hyperSecond[h] - hyperMean[h] * hyperMean[h])), atMode[h])).ToArray();
            return new LaplacePosterior(betaMean, betaCovariance, effectMean, effectVariance, effectBeta, hyperparameters,
                centre.Theta, points.Count, centre.LogPosterior, FactorSize);
        }
    }
}

/// <summary>A hyperparameter's posterior: mean, standard deviation, and its value at θ's mode.</summary>
public sealed record HyperparameterSummary(string Name, double Mean, double StandardDeviation, double AtMode);

/// <summary>
/// The posterior of a latent Gaussian Poisson model: fixed effects (mean, covariance), each area's effect
/// (mean, variance, covariance with the fixed effects; 0 for an area without effect), hyperparameters,
/// θ's mode in the field's internal coordinates (what <see cref="LaplaceSettings.Theta"/> takes), and the
/// number of θ points integrated over (1 with θ held fixed).
/// </summary>
public sealed record LaplacePosterior(
    double[] FixedMean,
    double[,] FixedCovariance,
    double[] EffectMean,
    double[] EffectVariance,
    double[,] EffectFixedCovariance,
    IReadOnlyList<HyperparameterSummary> Hyperparameters,
    double[] ThetaMode,
    int IntegrationPoints,
    double LogPosteriorAtMode,
    int FactorSize)
{
    public HyperparameterSummary Hyperparameter(string name) =>
        Hyperparameters.FirstOrDefault(h => h.Name == name) ?? throw new KeyNotFoundException($"no hyperparameter '{name}'");
}
