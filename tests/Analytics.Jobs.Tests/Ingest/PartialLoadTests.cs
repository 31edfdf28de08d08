using System.IO.Compression;
using Analytics.Jobs.Ingest;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;
using static Analytics.Jobs.Tests.Ingest.BaseFiles;

namespace Analytics.Jobs.Tests.Ingest;

/// <summary>
/// Files with a few faults that still load: the 5% rule for rejected records, repeated keys,
/// repaired geometries — and what the batch then records about them.
/// </summary>
public class PartialLoadTests(ReferenceWorld world) : IClassFixture<ReferenceWorld>
{
    /// <summary>A hundred distinct health records on lines 2 to 101 (communes 22001 to 22100), with the given lines replaced.</summary>
    private static string HundredRecords(Dictionary<int, string> replaced) =>
        Lines(HealthHeader, Enumerable.Range(2, 100).Select(line =>
            replaced.TryGetValue(line, out var row) ? row : $"{22000 + line - 1};commune;2021;J44;M;65-74;{line % 7};{500 + line}"));

    private static readonly Dictionary<int, string> SixFaults = new()
    {
        [10] = "22009;commune;2021;J44;M;65-74;1;509;extra",
        [20] = "99999;commune;2021;J44;M;65-74;1;519",
        [30] = "22029;commune;2021;J44;M;65-74;douze;529",
        [40] = "22039;commune;2021;J44;M;65-74;-2;539",
        [50] = "22049;commune;2021;Z99;M;65-74;1;549",
        [60] = "22059;commune;2031;J44;M;65-74;1;559",
    };

    private static readonly (long Line, string? Field, string Reason)[] SixQuarantined =
    [
        (10, null, "wrong column count: 9 fields where the header has 8"),
        (20, "territory_code", "unknown territory code '99999' for level commune (vintage 2024)"),
        (30, "cases", "'douze' is not a whole number of cases"),
        (40, "cases", "negative count of cases"),
        (50, "condition_code", "unknown condition 'Z99': not a catalogue code nor a CIM-10 code the catalogue covers"),
        (60, "period", "period out of range: '2031' is not between 1980 and 2026"),
    ];

    private async Task<IngestResult> LoadHealthAsync(string name, string content) =>
        await world.LoadAsync(IngestKind.Health, world.Files.Write(name, content));

    [Fact]
    public async Task a_batch_with_fewer_than_5_percent_bad_records_loads_the_others_and_quarantines_each_with_line_field_and_reason()
    {
        var result = await LoadHealthAsync("four-bad.csv", HundredRecords(SixFaults.Take(4).ToDictionary()));

        Assert.True(result.Outcome == IngestOutcome.Loaded, result.Describe());
        Assert.Equal((100L, 96L, 4L), (result.RowsRead, result.RowsLoaded, result.RowsQuarantined));
        Assert.Equal(96L, await world.Db.ScalarAsync<long>("SELECT count(*) FROM facts.health_count WHERE batch_id = $1", result.BatchId!.Value));
        Assert.Equal(SixQuarantined.Take(4), await QuarantineAsync(result.BatchId.Value));
        // Where and why only: nothing of the record's text (22009;commune;2021;J44;M;65-74;1;509;extra) is kept.
        var kept = await world.Db.ScalarAsync<string>("SELECT q::text FROM ingest.quarantine q WHERE batch_id = $1 AND line = 10", result.BatchId.Value);
        Assert.DoesNotContain("509", kept);
        Assert.DoesNotContain("extra", kept);
        Assert.Equal((4L, 96L), (await world.Db.ScalarAsync<long>("SELECT rows_quarantined FROM ingest.batch WHERE id = $1 AND status = 'loaded'", result.BatchId.Value),
            await world.Db.ScalarAsync<long>("SELECT rows_loaded FROM ingest.batch WHERE id = $1", result.BatchId.Value)));
    }

    [Fact]
    public async Task exactly_5_percent_of_bad_records_is_still_allowed()
    {
        var result = await LoadHealthAsync("five-bad.csv", HundredRecords(SixFaults.Take(5).ToDictionary()));
        Assert.True(result.Outcome == IngestOutcome.Loaded, result.Describe());
        Assert.Equal((95L, 5L), (result.RowsLoaded, result.RowsQuarantined));
    }

    [Fact]
    public async Task a_batch_with_more_than_5_percent_bad_records_fails_whole_and_keeps_its_quarantine()
    {
        var result = await LoadHealthAsync("six-bad.csv", HundredRecords(SixFaults));

        Assert.Equal(IngestOutcome.Failed, result.Outcome);
        Assert.StartsWith($"six-bad.csv: 6 of 100 records were rejected ({0.06:P1}), more than the {0.05:P0} allowed; most common reasons: ", result.Error);
        Assert.Equal(0L, await world.Db.ScalarAsync<long>("SELECT count(*) FROM facts.health_count WHERE batch_id = $1", result.BatchId!.Value));
        Assert.Equal("failed", await world.Db.ScalarAsync<string>("SELECT status FROM ingest.batch WHERE id = $1", result.BatchId.Value));
        Assert.Equal(SixQuarantined, await QuarantineAsync(result.BatchId.Value));
    }

    [Fact]
    public async Task a_repeated_key_quarantines_every_copy_and_loads_the_rest()
    {
        // Line 50 repeats line 20's key (commune 22019) with another count: which one is right is unknown, so neither loads.
        var result = await LoadHealthAsync("repeated.csv", HundredRecords(new() { [50] = "22019;commune;2021;J44;M;65-74;3;519" }));

        Assert.True(result.Outcome == IngestOutcome.Loaded, result.Describe());
        Assert.Equal((100L, 98L, 2L), (result.RowsRead, result.RowsLoaded, result.RowsQuarantined));
        Assert.Equal(0L, await world.Db.ScalarAsync<long>("""
            SELECT count(*) FROM facts.health_count h JOIN geo.territory t ON t.id = h.territory_id WHERE h.batch_id = $1 AND t.code = '22019'
            """, result.BatchId!.Value));
        Assert.Equal(
            [(20L, (string?)null, "duplicate key: the same territory, period, condition, sex and age band appear again later in the file; none of the copies is loaded"),
             (50L, null, "duplicate key: the same territory, period, condition, sex and age band as line 20; none of the copies is loaded")],
            await QuarantineAsync(result.BatchId.Value));
    }

    [Fact]
    public async Task a_self_intersecting_polygon_is_repaired_and_reported()
    {
        // R2 is a bow tie: its ring crosses itself at its centre. ST_MakeValid makes it two triangles of half the square each.
        var bowTie = "{\"type\":\"Polygon\",\"coordinates\":[[[-1.66,48.1],[-1.645,48.115],[-1.645,48.1],[-1.66,48.115],[-1.66,48.1]]]}";
        var path = world.Files.Write("bow-tie.geojson", FeatureCollection(Feature("R1", Square(-1.68, 48.1)), Feature("R2", bowTie), Feature("R3", Square(-1.64, 48.1))));
        var result = await world.LoadAsync(IngestKind.Territories, path, new() { Level = "custom", Vintage = 2023 });

        Assert.True(result.Outcome == IngestOutcome.Loaded, result.Describe());
        Assert.Equal((3L, 1L, 0L), (result.RowsLoaded, result.GeometriesRepaired, result.RowsQuarantined));
        Assert.Contains("1 invalid geometries repaired with ST_MakeValid: R2", result.Notes);
        Assert.Equal(1L, await world.Db.ScalarAsync<long>("SELECT geometries_repaired FROM ingest.batch WHERE id = $1", result.BatchId!.Value));
        Assert.True(await world.Db.ScalarAsync<bool>("SELECT bool_and(ST_IsValid(geom) AND ST_IsValid(geom_l93)) FROM geo.territory WHERE batch_id = $1", result.BatchId.Value));
        var areas = await world.Db.ScalarAsync<double[]>("SELECT array_agg(area_km2 ORDER BY code) FROM geo.territory WHERE batch_id = $1", result.BatchId.Value);
        Assert.InRange(areas[1] / areas[0], 0.49, 0.51);
    }

    [Fact]
    public async Task a_zipped_Shapefile_in_Lambert_93_loads_with_its_areas()
    {
        var path = world.Files.File("cpts.zip");
        var folder = Directory.CreateDirectory(world.Files.File("cpts-shp")).FullName;
        var factory = new GeometryFactory();
        var features = Enumerable.Range(1, 3).Select(i =>
        {
            var x = 350_000 + 2000 * i;
            var square = factory.CreatePolygon([new(x, 6_790_000), new(x + 1000, 6_790_000), new(x + 1000, 6_791_000), new(x, 6_791_000), new(x, 6_790_000)]);
            return (IFeature)new Feature(square, new AttributesTable { { "code", $"CPTS{i}" }, { "nom_cpts", $"CPTS {i}" } });
        });
        Shapefile.WriteAllFeatures(features, Path.Combine(folder, "cpts.shp"), Lambert93Prj);
        ZipFile.CreateFromDirectory(folder, path);

        var result = await world.LoadAsync(IngestKind.Territories, path, new() { Level = "custom", Vintage = 2022, NameField = "nom_cpts" });

        Assert.True(result.Outcome == IngestOutcome.Loaded, result.Describe());
        Assert.Equal(3L, result.RowsLoaded);
        // A square kilometre of Lambert-93: the projection's scale error near Rennes (48°N) is below 0.1%, so the geodesic area is 1 km² within 0.5%.
        var areas = await world.Db.ScalarAsync<double[]>("SELECT array_agg(area_km2 ORDER BY code) FROM geo.territory WHERE batch_id = $1", result.BatchId!.Value);
        Assert.All(areas, a => Assert.InRange(a, 0.995, 1.005));
        Assert.Equal("CPTS 2", await world.Db.ScalarAsync<string>("SELECT name FROM geo.territory WHERE batch_id = $1 AND code = 'CPTS2'", result.BatchId.Value));
    }

    [Fact]
    public async Task a_vintage_written_with_a_thousands_space_is_read_as_a_year()
    {
        // French spreadsheets format a year held as a number with a no-break space: "2 023".
        var path = world.Files.Write("changes-2023.csv", "old_code;new_code;vintage\n22996;22002;2\u00A0023\n");
        var result = await world.LoadAsync(IngestKind.CodeChanges, path);
        Assert.True(result.Outcome == IngestOutcome.Loaded, result.Describe());
        Assert.Equal(2023, await world.Db.ScalarAsync<int>("SELECT vintage FROM geo.code_change WHERE batch_id = $1", result.BatchId!.Value));
    }

    private const string Lambert93Prj =
        "PROJCS[\"RGF93_Lambert_93\",GEOGCS[\"GCS_RGF_1993\",DATUM[\"D_RGF_1993\",SPHEROID[\"GRS_1980\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]," +
        "PROJECTION[\"Lambert_Conformal_Conic\"],PARAMETER[\"False_Easting\",700000.0],PARAMETER[\"False_Northing\",6600000.0],PARAMETER[\"Central_Meridian\",3.0]," +
        "PARAMETER[\"Standard_Parallel_1\",44.0],PARAMETER[\"Standard_Parallel_2\",49.0],PARAMETER[\"Latitude_Of_Origin\",46.5],UNIT[\"Meter\",1.0]]";

    private async Task<List<(long Line, string? Field, string Reason)>> QuarantineAsync(long batchId)
    {
        await using var command = world.Db.DataSource.CreateCommand("SELECT line, field, reason FROM ingest.quarantine WHERE batch_id = $1 ORDER BY line");
        command.Parameters.Add(new() { Value = batchId });
        await using var reader = await command.ExecuteReaderAsync();
        var records = new List<(long, string?, string)>();
        while (await reader.ReadAsync())
            records.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2)));
        return records;
    }
}
