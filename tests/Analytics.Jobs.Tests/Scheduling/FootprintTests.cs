using Analytics.Jobs.Scheduling;

namespace Analytics.Jobs.Tests.Scheduling;

public class FootprintTests
{
    [Fact]
    public void the_workers_run_with_the_garbage_collector_conserving_memory()
    {
        // Without the setting a national training unit's peak doubles (Directory.Build.props, which sets it for every host).
        const string runtimeConfig = "analytics-jobs.runtimeconfig.json";
        var path = Path.Combine(AppContext.BaseDirectory, runtimeConfig);
        Assert.True(File.Exists(path), $"{path} is missing: the test project must reference the host's project");
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.True(properties.TryGetProperty("System.GC.ConserveMemory", out var level), $"{runtimeConfig} sets no System.GC.ConserveMemory");
        Assert.Equal(7, level.GetInt32());
    }

    [Fact]
    public void energy_follows_the_green_algorithms_formula_worked_by_hand()
    {
        // One hour on one full core with 1 GB: (12 W + 1 GB × 0.3725 W/GB) × 1 h × PUE 1.67 = 20.66 Wh.
        var footprint = new Footprint(WallSeconds: 3600, CpuSeconds: 3600, PeakMemoryBytes: 1_000_000_000);

        Assert.Equal((12 + 0.3725) * 1.67, footprint.EnergyWattHours, 10);
        // Idle waiting costs memory power only: half an hour, no CPU, 2 GB.
        Assert.Equal(0.5 * 2 * 0.3725 * 1.67, new Footprint(1800, 0, 2_000_000_000).EnergyWattHours, 10);
    }

    [Fact]
    public void the_meter_sees_the_cpu_time_and_the_memory_a_run_takes()
    {
        using var meter = FootprintMeter.Start();
        var block = new byte[200 * 1024 * 1024];
        Array.Fill(block, (byte)1); // touched, so resident
        var spin = System.Diagnostics.Stopwatch.StartNew();
        var sum = 0L;
        while (spin.ElapsedMilliseconds < 400)
            sum += block[(int)(sum % block.Length)];
        var footprint = meter.Stop();

        Assert.True(footprint.WallSeconds >= 0.4, $"{footprint.WallSeconds} s");
        Assert.True(footprint.CpuSeconds >= 0.3, $"{footprint.CpuSeconds} s of CPU for 0.4 s of spinning");
        Assert.True(footprint.PeakMemoryBytes >= block.Length, $"peak {footprint.PeakMemoryBytes} bytes with {block.Length} held");
        GC.KeepAlive(block);
    }
}
