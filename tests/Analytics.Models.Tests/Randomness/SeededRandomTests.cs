using Analytics.Models.Randomness;

namespace Analytics.Models.Tests.Randomness;

public class SeededRandomTests
{
    [Fact]
    public void xoshiro256_starstar_seeded_by_splitmix64_gives_the_reference_sequence()
    {
        // Reference: an independent Python transcription of the authors' C code (prng.di.unimi.it),
        // state s[0..3] filled by splitmix64 from seed 0; these are its first three outputs.
        var random = new SeededRandom(0);

        Assert.Equal(0x99EC5F36CB75F2B4UL, random.NextUInt64());
        Assert.Equal(0xBF6E1F784956452AUL, random.NextUInt64());
        Assert.Equal(0x1A5F849D4933E6E0UL, random.NextUInt64());
    }

    [Fact]
    public void the_same_seed_and_stream_give_the_same_draws_and_other_streams_differ()
    {
        var a = SeededRandom.Derive(42, "health");
        var b = SeededRandom.Derive(42, "health");
        var c = SeededRandom.Derive(42, "population");

        var first = Enumerable.Range(0, 5).Select(_ => a.NextUInt64()).ToArray();
        Assert.Equal(first, Enumerable.Range(0, 5).Select(_ => b.NextUInt64()).ToArray());
        Assert.NotEqual(first, Enumerable.Range(0, 5).Select(_ => c.NextUInt64()).ToArray());
    }

    [Theory]
    [InlineData(0.7)]
    [InlineData(4.0)]
    [InlineData(35.0)]
    [InlineData(900.0)]
    public void poisson_draws_have_the_requested_mean_and_variance(double lambda)
    {
        var random = new SeededRandom(7);
        const int n = 200_000;
        var draws = Enumerable.Range(0, n).Select(_ => (double)random.NextPoisson(lambda)).ToArray();
        var mean = draws.Average();
        var variance = draws.Sum(d => (d - mean) * (d - mean)) / (n - 1);

        // Five standard errors of the sample mean and (roughly) of the sample variance.
        Assert.InRange(mean, lambda - 5 * Math.Sqrt(lambda / n), lambda + 5 * Math.Sqrt(lambda / n));
        var varianceSe = Math.Sqrt((lambda + 2 * lambda * lambda) / n);
        Assert.InRange(variance, lambda - 5 * varianceSe, lambda + 5 * varianceSe);
    }

    [Fact]
    public void binomial_thinning_keeps_the_requested_share()
    {
        var random = new SeededRandom(11);

        var kept = random.NextBinomial(100_000, 0.6);

        // sd = √(n p (1 − p)) ≈ 155
        Assert.InRange(kept, 60_000 - 800, 60_000 + 800);
    }
}
