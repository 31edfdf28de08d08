using Analytics.Jobs.Ingest;
using Analytics.Jobs.Tests.Features;
using Analytics.Testing;

namespace Analytics.Jobs.Tests.Ingest.Zonings;

/// <summary>A zoning file is an input like any other: a batch with its hash, refused whole with file, line and field, screened for identifiers.</summary>
[Collection(DemoPipelineCollection.Name)]
public class ZoningLoaderTests(DemoPipeline pipeline)
{
    private static readonly List<string> Communes = File.ReadLines(RepositoryFiles.PathOf("data/demo/socioeconomic_commune.csv"))
        .Skip(1).Select(l => l.Split(';')[0]).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task a_zoning_loads_as_a_batch_with_its_hash_and_its_zones_remember_it()
    {
        var (result, zones) = await CustomZoningsTests.LoadZoningAsync(pipeline, "étude batch", Communes.Take(40).Select(c => ("Z", c)));

        Assert.Equal(IngestOutcome.Loaded, result.Outcome);
        Assert.Equal(40, result.RowsLoaded);
        Assert.Equal(["Z"], zones.Keys);
        Assert.Equal("zoning", await pipeline.Database.ScalarAsync<string>($"SELECT kind FROM ingest.batch WHERE id = {result.BatchId}"));
        Assert.Matches("^[0-9a-f]{64}$", await pipeline.Database.ScalarAsync<string>($"SELECT file_sha256 FROM ingest.batch WHERE id = {result.BatchId}"));
    }

    [Fact]
    public async Task a_zoning_file_with_an_unknown_commune_is_refused_naming_line_and_field_and_changes_nothing()
    {
        var before = await pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM geo.custom_zone");

        var (result, zones) = await CustomZoningsTests.LoadZoningAsync(pipeline, "faulty", [("A", Communes[0]), ("A", "99999")]);

        Assert.Equal(IngestOutcome.Failed, result.Outcome);
        Assert.Contains("99999", result.Error);
        Assert.Contains("line 3", result.Error);
        Assert.Contains("commune_code", result.Error);
        Assert.Empty(zones);
        Assert.Equal(before, await pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM geo.custom_zone"));
    }

    [Fact]
    public async Task a_commune_in_two_zones_or_a_zoning_name_already_loaded_refuses_the_file()
    {
        var (overlap, _) = await CustomZoningsTests.LoadZoningAsync(pipeline, "overlap", [("A", Communes[100]), ("B", Communes[100])]);
        Assert.Equal(IngestOutcome.Failed, overlap.Outcome);
        Assert.Contains("already in zone A", overlap.Error);

        var (first, _) = await CustomZoningsTests.LoadZoningAsync(pipeline, "twice", Communes.Skip(200).Take(30).Select(c => ("T", c)));
        var (second, _) = await CustomZoningsTests.LoadZoningAsync(pipeline, "twice", Communes.Skip(300).Take(30).Select(c => ("U", c)));
        Assert.Equal(IngestOutcome.Loaded, first.Outcome);
        Assert.Equal(IngestOutcome.Failed, second.Outcome);
        Assert.Contains("already loaded", second.Error);
    }

    [Fact]
    public async Task a_direct_identifier_in_a_zoning_file_refuses_it_without_repeating_it()
    {
        const string Email = "jeanne.martin@example.fr";
        var before = await pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM geo.custom_zone");

        var (result, zones) = await CustomZoningsTests.LoadZoningAsync(pipeline, "identifiers", [("A", Communes[400]), (Email, Communes[401])]);

        Assert.Equal(IngestOutcome.Failed, result.Outcome);
        Assert.DoesNotContain(Email, result.Error);
        Assert.Empty(zones);
        Assert.Equal(before, await pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM geo.custom_zone"));
    }
}
