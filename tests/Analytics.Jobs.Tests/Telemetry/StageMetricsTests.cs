using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Analytics.Jobs.Features;
using Analytics.Jobs.Ingest;
using Analytics.Jobs.Telemetry;
using Analytics.Jobs.Tests.Ingest;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Analytics.Jobs.Tests.Telemetry;

/// <summary>
/// What the pipeline's meter records when stages run, heard the way OpenTelemetry hears it (a
/// <see cref="MeterListener"/> on <see cref="StageMetrics.MeterName"/>). Other test classes run
/// stages at the same time, so each test looks for its own measurements among everyone's.
/// </summary>
public sealed class StageMetricsTests : IAsyncLifetime, IDisposable
{
    private sealed record Measurement(string Instrument, string Stage, double Value);

    private readonly PostgisDatabase database = new();
    private readonly ConcurrentQueue<Measurement> heard = new();
    private readonly MeterListener listener = new();

    public StageMetricsTests()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == StageMetrics.MeterName)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Hear(instrument, value, tags));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Hear(instrument, value, tags));
        listener.Start();
    }

    private void Hear(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
            if (tag.Key == StageMetrics.StageTag)
                heard.Enqueue(new Measurement(instrument.Name, (string)tag.Value!, value));
    }

    private List<double> Heard(string instrument, string stage) =>
        [.. heard.Where(m => m.Instrument == instrument && m.Stage == stage).Select(m => m.Value)];

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    public void Dispose() => listener.Dispose();

    private IngestService Ingest() => new(database.DataSource, TimeProvider.System, NullLogger<IngestService>.Instance);

    private Task<IngestResult> LoadAsync(IngestKind kind, string path, IngestOptions? options = null) =>
        Ingest().LoadAsync(new IngestRequest(kind, path, Path.GetFileName(path), "test:steward", options ?? IngestOptions.Default));

    [Fact]
    public async Task a_load_records_its_duration_and_the_rows_it_loaded_under_its_kind()
    {
        var result = await LoadAsync(IngestKind.Catalog, DemoWorld.Catalogue);

        Assert.Equal(IngestOutcome.Loaded, result.Outcome);
        Assert.Contains(Heard(StageMetrics.DurationName, "ingest.catalog"), seconds => seconds > 0);
        Assert.Contains((double)result.RowsLoaded, Heard(StageMetrics.RowsName, "ingest.catalog"));
    }

    [Fact]
    public async Task a_features_build_records_every_step_it_runs_and_the_rows_of_those_that_count_them()
    {
        using var files = new TempFolder();
        Assert.Equal(IngestOutcome.Loaded, (await LoadAsync(IngestKind.Catalog, DemoWorld.Catalogue)).Outcome);
        string? parent = null;
        foreach (var level in new[] { "region", "departement", "epci", "commune" })
        {
            var options = new IngestOptions { Level = level, Vintage = 2024, LayerName = level, ParentLevel = parent };
            Assert.Equal(IngestOutcome.Loaded, (await LoadAsync(IngestKind.Territories, DemoWorld.File("territories.gpkg"), options)).Outcome);
            parent = level;
        }
        // Counts for every commune: the scan refuses a commune with none expected.
        var communes = new List<string>();
        await using (var command = database.DataSource.CreateCommand("SELECT code FROM geo.territory WHERE level = 'commune' ORDER BY code"))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                communes.Add(reader.GetString(0));
        var health = BaseFiles.Lines(BaseFiles.HealthHeader, communes.Select((code, i) => $"{code};commune;2022;J45-J46;F;0-14;{i % 7};500"));
        Assert.Equal(IngestOutcome.Loaded, (await LoadAsync(IngestKind.Health, files.Write("health.csv", health))).Outcome);

        var lines = await new FeatureBuild(database.DataSource, TimeProvider.System).RunAsync();

        foreach (var stage in new[] { "features.expected_cases", "features.health_indicators", "features.scan_clusters", "features.custom_zonings", "features.tiles" })
            Assert.Contains(Heard(StageMetrics.DurationName, stage), seconds => seconds > 0);
        var expected = await database.ScalarAsync<long>("SELECT count(*) FROM features.expected_cases");
        Assert.Contains((double)expected, Heard(StageMetrics.RowsName, "features.expected_cases"));
        Assert.Contains(lines, line => line.Contains($"{expected:N0} expected counts", StringComparison.Ordinal));
    }

    [Fact]
    public void a_stage_that_counts_no_rows_records_its_duration_only()
    {
        var stage = $"test.{Guid.NewGuid():N}";

        StageMetrics.Start(stage).Stop(null);

        Assert.Single(Heard(StageMetrics.DurationName, stage));
        Assert.Empty(Heard(StageMetrics.RowsName, stage));
    }
}
