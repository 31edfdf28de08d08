using Analytics.Jobs.Features;
using Analytics.Jobs.Ingest;
using Analytics.Models.Specifications;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Analytics.Jobs.Tests;

/// <summary>The whole demo world loaded and its features built once, for every test of the modelling stages.</summary>
public sealed class DemoPipeline : IAsyncLifetime
{
    public PostgisDatabase Database { get; } = new();

    public static ModelSpecification Specification(string code) =>
        ModelSpecification.Parse(File.ReadAllText(RepositoryFiles.PathOf($"data/models/{code}.json")), $"{code}.json");

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        var ingest = new IngestService(Database.DataSource, TimeProvider.System, NullLogger<IngestService>.Instance);
        foreach (var entry in LoadManifest.Read(RepositoryFiles.PathOf("data/demo/load.json")).Loads)
            await ingest.LoadAsync(new IngestRequest(entry.Kind, entry.File, Path.GetFileName(entry.File), "demo-steward", entry.Options ?? IngestOptions.Default));
        var index = CumulativeIndexBuild.ReadDefinition(File.ReadAllText(RepositoryFiles.PathOf("data/catalog/cumulative_index.json")), "cumulative_index.json");
        await new FeatureBuild(Database.DataSource, TimeProvider.System).RunAsync(index: index);
    }

    private readonly Dictionary<string, Task<Jobs.Training.ModelTraining.Outcome>> trained = [];

    /// <summary>Trains a model once for all the tests that read its run (training takes a while).</summary>
    public Task<Jobs.Training.ModelTraining.Outcome> TrainedAsync(string code, Func<Jobs.Training.ModelTraining> training)
    {
        lock (trained)
        {
            if (!trained.TryGetValue(code, out var run))
                trained[code] = run = training().RunAsync(Specification(code), "demo-steward");
            return run;
        }
    }

    public Task DisposeAsync() => Database.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class DemoPipelineCollection : ICollectionFixture<DemoPipeline>
{
    public const string Name = "Demo world through the pipeline";
}
