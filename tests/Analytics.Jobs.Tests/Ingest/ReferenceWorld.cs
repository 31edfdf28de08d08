using Analytics.Jobs.Ingest;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Analytics.Jobs.Tests.Ingest;

/// <summary>
/// Class fixture: a fresh database holding what files are loaded against — the demo catalogue and
/// territories (régions down to communes) — plus a few facts of every kind, so that a load that
/// wrongly changed them would show; and the service that loads files, on a fixed clock.
/// </summary>
public sealed class ReferenceWorld : IAsyncLifetime
{
    /// <summary>The loads' clock: periods after 2026 are in the future.</summary>
    public static readonly DateTimeOffset Today = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public PostgisDatabase Db { get; } = new();
    public TempFolder Files { get; } = new();
    public IngestService Service { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Db.InitializeAsync();
        Service = new IngestService(Db.DataSource, new FakeTimeProvider(Today), NullLogger<IngestService>.Instance);
        await Expect(IngestKind.Catalog, DemoWorld.Catalogue);
        string? parent = null;
        foreach (var level in new[] { "region", "departement", "epci", "commune" })
        {
            await Expect(IngestKind.Territories, DemoWorld.File("territories.gpkg"), new() { Level = level, Vintage = 2024, LayerName = level, ParentLevel = parent });
            parent = level;
        }
        await Expect(IngestKind.Health, Files.Write("health-base.csv", BaseFiles.HealthCsv()));
        await Expect(IngestKind.Socio, Files.Write("socio-base.csv", BaseFiles.SocioCsv()), BaseFiles.SocioOptions);
        await Expect(IngestKind.CodeChanges, Files.Write("code-changes-base.csv", BaseFiles.CodeChangesCsv()));
        await Expect(IngestKind.Environment, DemoWorld.File("no2_stations.csv"),
            new() { Layer = "stations", Srid = 2154, Columns = new Dictionary<string, string> { ["no2_ugm3"] = "no2_station" } });
        await Expect(IngestKind.Territories, Files.Write("zones-base.geojson", BaseFiles.ZonesGeoJson()), new() { Level = "custom", Vintage = 2024 });
    }

    private async Task Expect(IngestKind kind, string path, IngestOptions? options = null)
    {
        var result = await LoadAsync(kind, path, options);
        if (result.Outcome != IngestOutcome.Loaded || result.RowsQuarantined > 0)
            throw new InvalidOperationException($"the reference world did not load: {result.Describe()}");
    }

    public Task<IngestResult> LoadAsync(IngestKind kind, string path, IngestOptions? options = null) =>
        Service.LoadAsync(new IngestRequest(kind, path, Path.GetFileName(path), "test:steward", options ?? IngestOptions.Default));

    public async Task DisposeAsync()
    {
        await Db.DisposeAsync();
        Files.Dispose();
    }
}
