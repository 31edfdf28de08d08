using System.Diagnostics;

namespace Analytics.Jobs.Scheduling;

/// <summary>
/// What one run cost the machine — wall time, CPU time, peak memory — and the energy that implies, by the
/// Green Algorithms method (Lannelongue, Grealey &amp; Inouye 2021, <i>Advanced Science</i> 8:2100707):
/// E = (CPU time × power per core + wall time × memory × power per GB) × PUE.
/// </summary>
/// <remarks>
/// Coefficients: <see cref="WattsPerCore"/> is a typical server core's share of its processor's thermal design
/// power (a 120 W, 10-core part); <see cref="WattsPerGigabyte"/> and <see cref="PowerUsageEffectiveness"/> are
/// the method's published values for memory and for an average data centre. CPU time counted over the core
/// seconds actually used stands for the method's cores × usage factor. It is an estimate, of the order of
/// magnitude: a deployment that knows its hardware and its data centre's PUE should read it with theirs.
/// </remarks>
/// <param name="WallSeconds">Elapsed time of the run.</param>
/// <param name="CpuSeconds">CPU time the process used meanwhile (all its threads, whatever else it served).</param>
/// <param name="PeakMemoryBytes">Largest working set of the process sampled during the run.</param>
public sealed record Footprint(double WallSeconds, double CpuSeconds, long PeakMemoryBytes)
{
    public const double WattsPerCore = 12;
    public const double WattsPerGigabyte = 0.3725;
    public const double PowerUsageEffectiveness = 1.67;

    /// <summary>Estimated energy in watt-hours.</summary>
    public double EnergyWattHours =>
        (CpuSeconds * WattsPerCore + WallSeconds * PeakMemoryBytes / 1e9 * WattsPerGigabyte) * PowerUsageEffectiveness / 3600;

    public override string ToString() => FormattableString.Invariant(
        $"{WallSeconds:F1} s elapsed, {CpuSeconds:F1} s of CPU, peak memory {PeakMemoryBytes / 1048576.0:F0} MiB, about {EnergyWattHours:F2} Wh");
}

/// <summary>The stored form of a <see cref="Footprint"/> (<c>footprint</c> columns of migration 0029).</summary>
public static class FootprintJson
{
    public static string Of(Footprint footprint) => System.Text.Json.JsonSerializer.Serialize(new
    {
        wallSeconds = footprint.WallSeconds, cpuSeconds = footprint.CpuSeconds, peakMemoryBytes = footprint.PeakMemoryBytes,
        energyWattHours = footprint.EnergyWattHours,
    });
}

/// <summary>Measures a run from <see cref="Start"/> to <see cref="Stop"/>; the working set is sampled every 100 ms.</summary>
public sealed class FootprintMeter : IDisposable
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _cpuAtStart;
    private readonly Timer _sampler;
    private long _peak;

    private FootprintMeter()
    {
        using var process = Process.GetCurrentProcess();
        _cpuAtStart = process.TotalProcessorTime;
        _peak = process.WorkingSet64;
        _sampler = new Timer(_ => Sample(), null, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));
    }

    public static FootprintMeter Start() => new();

    /// <summary>The footprint so far (the meter keeps running until disposed).</summary>
    public Footprint Stop()
    {
        Sample();
        using var process = Process.GetCurrentProcess();
        return new Footprint(_wall.Elapsed.TotalSeconds, (process.TotalProcessorTime - _cpuAtStart).TotalSeconds, Interlocked.Read(ref _peak));
    }

    public void Dispose() => _sampler.Dispose();

    private void Sample()
    {
        using var process = Process.GetCurrentProcess();
        var now = process.WorkingSet64;
        long seen;
        while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
        {
        }
    }
}
