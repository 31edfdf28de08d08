namespace Analytics.Models.Randomness;

/// <summary>
/// A small, explicit pseudo-random generator: xoshiro256** (Blackman &amp; Vigna, 2018,
/// <c>https://prng.di.unimi.it/xoshiro256starstar.c</c>) whose state is filled by SplitMix64
/// (Steele, Lea &amp; Flood, 2014), as the xoshiro authors recommend.
/// </summary>
/// <remarks>
/// We do not use <see cref="Random"/> with a seed: its algorithm is an implementation detail
/// of the runtime and may change between .NET versions, and synthetic data sets must be
/// byte-identical for a seed wherever they are regenerated. Every distribution here is written
/// out so that the same seed gives the same draws on any machine and runtime.
/// Not thread-safe; give each task its own stream with <see cref="Derive"/>.
/// </remarks>
public sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SeededRandom(ulong seed)
    {
        var sm = seed;
        _s0 = SplitMix64(ref sm);
        _s1 = SplitMix64(ref sm);
        _s2 = SplitMix64(ref sm);
        _s3 = SplitMix64(ref sm);
    }

    /// <summary>
    /// An independent stream named <paramref name="stream"/> for a seed. Each part of a generator
    /// draws from its own stream, so adding draws to one part does not shift the others.
    /// </summary>
    public static SeededRandom Derive(ulong seed, string stream)
    {
        // FNV-1a over the UTF-16 code units: stable, and different names give unrelated seeds.
        var hash = 14695981039346656037UL;
        foreach (var c in stream)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        var mixed = seed ^ hash;
        return new SeededRandom(SplitMix64(ref mixed));
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1), with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform on [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double NextDouble(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer on [0, <paramref name="count"/>), without modulo bias (Lemire's method).</summary>
    public int NextInt(int count)
    {
        if (count <= 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "must be positive");
        var bound = (ulong)count;
        var threshold = (0UL - bound) % bound;
        while (true)
        {
            var r = NextUInt64();
            var product = Math.BigMul(r, bound, out var low);
            if (low >= threshold)
                return (int)product;
        }
    }

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool NextBernoulli(double p) => NextDouble() < p;

    /// <summary>Standard normal draw (Box–Muller, one value per pair of uniforms, no cached state).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble(); // (0, 1]: log is finite
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Normal draw with the given mean and standard deviation.</summary>
    public double NextGaussian(double mean, double sd) => mean + sd * NextGaussian();

    /// <summary>Log-normal draw: exp of a normal with parameters <paramref name="mu"/>, <paramref name="sigma"/>.</summary>
    public double NextLogNormal(double mu, double sigma) => Math.Exp(NextGaussian(mu, sigma));

    /// <summary>Pareto (type I) draw with scale <paramref name="minimum"/> and tail index <paramref name="alpha"/>, by inversion.</summary>
    public double NextPareto(double minimum, double alpha) => minimum / Math.Pow(1.0 - NextDouble(), 1.0 / alpha);

    /// <summary>
    /// Poisson draw with mean <paramref name="lambda"/>: Knuth's multiplication method below 10,
    /// Hörmann's transformed rejection (PTRS, Insurance: Mathematics and Economics 12, 1993) above —
    /// both exact, unlike a normal approximation, so that fitted models can recover the truth.
    /// </summary>
    public long NextPoisson(double lambda)
    {
        if (lambda < 0 || double.IsNaN(lambda))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "must be a non-negative number");
        if (lambda == 0)
            return 0;
        if (lambda < 10)
        {
            var limit = Math.Exp(-lambda);
            var product = NextDouble();
            long k = 0;
            while (product > limit)
            {
                k++;
                product *= NextDouble();
            }
            return k;
        }

        var slam = Math.Sqrt(lambda);
        var logLambda = Math.Log(lambda);
        var b = 0.931 + 2.53 * slam;
        var a = -0.059 + 0.02483 * b;
        var invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        var vr = 0.9277 - 3.6224 / (b - 2);
        while (true)
        {
            var u = NextDouble() - 0.5;
            var v = NextDouble();
            var us = 0.5 - Math.Abs(u);
            var k = Math.Floor((2 * a / us + b) * u + lambda + 0.43);
            if (us >= 0.07 && v <= vr)
                return (long)k;
            if (k < 0 || (us < 0.013 && v > us))
                continue;
            if (Math.Log(v) + Math.Log(invAlpha) - Math.Log(a / (us * us) + b)
                <= -lambda + k * logLambda - SpecialFunctions.LogGamma(k + 1))
                return (long)k;
        }
    }

    /// <summary>
    /// Binomial draw: how many of <paramref name="trials"/> independent events, each kept with
    /// probability <paramref name="p"/>, are kept (binomial thinning). One Bernoulli per trial:
    /// exact, and cheap for the counts of cases this is used on.
    /// </summary>
    public long NextBinomial(long trials, double p)
    {
        if (trials < 0)
            throw new ArgumentOutOfRangeException(nameof(trials), trials, "must not be negative");
        if (p <= 0)
            return 0;
        if (p >= 1)
            return trials;
        long kept = 0;
        for (long i = 0; i < trials; i++)
            if (NextDouble() < p)
                kept++;
        return kept;
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
