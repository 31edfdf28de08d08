using System.Text.Json;
using Analytics.Jobs.Ingest;
using Analytics.Jobs.Tests.Demo;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Analytics.Jobs.Tests.Ingest;

/// <summary>Class fixture: a fresh database into which the whole demo world was loaded through its manifest.</summary>
public sealed class LoadedDemoWorld : IAsyncLifetime
{
    public PostgisDatabase Db { get; } = new();
    public LoadManifest Manifest { get; } = LoadManifest.Read(DemoWorld.Manifest);
    public IReadOnlyList<IngestResult> Results { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await Db.InitializeAsync();
        Results = await LoadAsync();
    }

    /// <summary>Loads every file of the manifest in its order, as <c>ingest manifest data/demo/load.json</c> does.</summary>
    public async Task<IReadOnlyList<IngestResult>> LoadAsync()
    {
        var service = new IngestService(Db.DataSource, new FakeTimeProvider(ReferenceWorld.Today), NullLogger<IngestService>.Instance);
        var results = new List<IngestResult>();
        foreach (var entry in Manifest.Loads)
            results.Add(await service.LoadAsync(new IngestRequest(entry.Kind, entry.File, Path.GetFileName(entry.File), "test:steward", entry.Options ?? IngestOptions.Default)));
        return results;
    }

    public Task DisposeAsync() => Db.DisposeAsync();
}

/// <summary>
/// The demo world loads whole through its manifest: each table holds what the files hold, the
/// territories nest, their areas add up, and loading the manifest again changes nothing.
/// </summary>
[Collection(LargeLoadsCollection.Name)]
public class DemoWorldLoadTests(LoadedDemoWorld demo) : IClassFixture<LoadedDemoWorld>
{
    [Fact]
    public void every_file_of_the_manifest_loads_without_a_rejected_record()
    {
        Assert.Equal(demo.Manifest.Loads.Count, demo.Results.Count);
        Assert.All(demo.Results, r => Assert.True(r.Outcome == IngestOutcome.Loaded && r.RowsQuarantined == 0 && r.RowsLoaded == r.RowsRead, r.Describe()));
    }

    [Fact]
    public async Task each_level_holds_the_territories_of_its_GeoPackage_layer()
    {
        using var gpkg = DemoFiles.Open(DemoWorld.File("territories.gpkg"));
        foreach (var (level, expected) in new[] { ("commune", 1233L), ("epci", 63L), ("departement", 5L), ("region", 2L) })
        {
            using var count = gpkg.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM \"{level}\"";
            Assert.Equal(expected, (long)count.ExecuteScalar()!);
            Assert.Equal(expected, await demo.Db.ScalarAsync<long>("SELECT count(*) FROM geo.territory WHERE level = $1 AND vintage = 2024", level));
        }
    }

    [Fact]
    public async Task every_territory_has_the_parent_its_file_names_one_level_up()
    {
        foreach (var (level, parentLevel) in new[] { ("commune", "epci"), ("epci", "departement"), ("departement", "region") })
        {
            var expected = DemoFiles.ReadGeoPackage(DemoWorld.File("territories.gpkg"), level)
                .Select(f => $"{f.Attributes["code"]}>{f.Attributes["parent_code"]}").Order(StringComparer.Ordinal).ToList();
            var loaded = await demo.Db.ScalarAsync<string[]>("""
                SELECT array_agg(t.code || '>' || coalesce(p.code, '?') ORDER BY (t.code || '>' || coalesce(p.code, '?')) COLLATE "C")
                FROM geo.territory t LEFT JOIN geo.territory p ON p.id = t.parent_id AND p.level = $2
                WHERE t.level = $1
                """, level, parentLevel);
            Assert.Equal(expected, loaded);
        }
        Assert.Equal(0L, await demo.Db.ScalarAsync<long>("SELECT count(*) FROM geo.territory WHERE level = 'region' AND parent_id IS NOT NULL"));
    }

    [Fact]
    public async Task the_areas_of_the_communes_of_a_departement_add_up_to_its_area_within_a_thousandth()
    {
        // The demo départements are unions of their communes, so only reprojection and rounding separate the sums.
        var sums = await demo.Db.ScalarAsync<double[]>("""
            SELECT array_agg(ratio ORDER BY code) FROM (
                SELECT d.code, sum(c.area_km2) / d.area_km2 AS ratio
                FROM geo.territory c JOIN geo.territory e ON e.id = c.parent_id JOIN geo.territory d ON d.id = e.parent_id
                WHERE c.level = 'commune' AND d.level = 'departement'
                GROUP BY d.code, d.area_km2) s
            """);
        Assert.Equal(5, sums.Length);
        Assert.All(sums, ratio => Assert.InRange(ratio, 0.999, 1.001));
    }

    [Fact]
    public async Task the_health_table_holds_one_row_per_record_of_the_health_file()
    {
        var records = SemicolonCsv.Read(DemoWorld.File("health_commune.csv.gz")).LongCount();
        Assert.Equal(308_250, records);
        Assert.Equal(records, await demo.Db.ScalarAsync<long>("SELECT count(*) FROM facts.health_count"));
        Assert.Equal(0L, await demo.Db.ScalarAsync<long>("SELECT count(*) FROM facts.health_count WHERE suppressed_at_source"));
    }

    [Fact]
    public async Task value_tables_hold_one_row_per_filled_indicator_cell_of_the_files()
    {
        var catalogue = SemicolonCsv.Read(DemoWorld.Catalogue).ToDictionary(r => r["code"], r => r["unit"] == "class");
        long numbers = 0, labels = 0, featureValues = 0, features = 0;
        foreach (var entry in demo.Manifest.Loads.Where(e => e.Kind is IngestKind.Socio or IngestKind.Animal or IngestKind.Environment))
        {
            var options = entry.Options!;
            string? IndicatorOf(string column)
            {
                var name = options.Columns?.GetValueOrDefault(column) ?? column;
                return catalogue.ContainsKey(name) ? name : null;
            }
            if (options.Layer is null or "grid" or "stations")
            {
                var rows = SemicolonCsv.Read(entry.File).ToList();
                var cells = rows.SelectMany(r => r.Where(c => c.Value.Length > 0).Select(c => IndicatorOf(c.Key))).Where(i => i is not null).ToList();
                if (options.Layer is null)
                {
                    numbers += cells.Count(i => !catalogue[i!]);
                    labels += cells.Count(i => catalogue[i!]);
                }
                else
                {
                    featureValues += cells.Count;
                    features += rows.Select(r => options.Layer == "grid" ? $"{r["x_l93"]} {r["y_l93"]}" : r["station_code"]).Distinct().Count();
                }
            }
            else
            {
                // GeoJSON layers: a numeric property named after an indicator, optionally suffixed by its year (qsa_kg_2021), is a value.
                using var json = JsonDocument.Parse(File.ReadAllBytes(entry.File));
                foreach (var feature in json.RootElement.GetProperty("features").EnumerateArray())
                {
                    features++;
                    foreach (var property in feature.GetProperty("properties").EnumerateObject())
                    {
                        var suffixed = System.Text.RegularExpressions.Regex.Match(property.Name, @"^(.+)_(\d{4})$");
                        var indicator = IndicatorOf(suffixed.Success ? suffixed.Groups[1].Value : property.Name);
                        if (indicator is not null && property.Value.ValueKind == JsonValueKind.Number && (suffixed.Success || options.Period is not null))
                            featureValues++;
                    }
                }
            }
        }
        // Worked out by hand from the files, so that a change in both the files and the loader does not go unseen:
        // socio 1,233 × 5 + environment 1,233 × 2 + tiger mosquito 6,165 = 14,796 numbers; density class 1,233 labels;
        // grid 157,610 × 4 + stations 90 + pesticide 209 × 5 years + Lyme 13 = 631,588 feature values;
        // 31,522 grid cells + 18 stations + 209 + 13 + 133 features.
        Assert.Equal((14_796L, 1_233L, 631_588L, 31_895L), (numbers, labels, featureValues, features));
        Assert.Equal(numbers, await demo.Db.ScalarAsync<long>("SELECT count(*) FROM facts.territory_value"));
        Assert.Equal(labels, await demo.Db.ScalarAsync<long>("SELECT count(*) FROM facts.territory_label"));
        Assert.Equal(featureValues, await demo.Db.ScalarAsync<long>("SELECT count(*) FROM facts.feature_value"));
        Assert.Equal(features, await demo.Db.ScalarAsync<long>("SELECT count(*) FROM geo.source_feature"));
        Assert.Equal(5L, await demo.Db.ScalarAsync<long>("SELECT count(*) FROM geo.source_layer"));
        Assert.Equal(catalogue.Count, await demo.Db.ScalarAsync<long>("SELECT count(*) FROM catalog.indicator"));
    }

    [Fact]
    public async Task loading_the_manifest_a_second_time_loads_nothing()
    {
        var before = await DataChecksums.TakeAsync(demo.Db);
        var batches = await demo.Db.ScalarAsync<long>("SELECT count(*) FROM ingest.batch");

        var again = await demo.LoadAsync();

        Assert.All(again, r => Assert.True(r.Outcome == IngestOutcome.Unchanged, r.Describe()));
        Assert.Equal(demo.Results.Select(r => r.BatchId), again.Select(r => r.BatchId));
        Assert.Equal(before, await DataChecksums.TakeAsync(demo.Db));
        Assert.Equal(batches, await demo.Db.ScalarAsync<long>("SELECT count(*) FROM ingest.batch"));
    }
}
