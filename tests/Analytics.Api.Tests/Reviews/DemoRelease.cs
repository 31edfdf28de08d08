using Analytics.Jobs.Features;
using Analytics.Jobs.Ingest;
using Analytics.Jobs.Training;
using Analytics.Models.Access;
using Analytics.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Api.Tests.Reviews;

/// <summary>The demo world loaded into a test host's database, its features (and cumulative index) built and the asthma model trained: one release pending review.</summary>
public static class DemoRelease
{
    /// <summary>Returns who launched the run (a reviewer who is also a steward: the four-eyes rule must stop them approving it) and the run.</summary>
    public static async Task<(ApiFactory.TestAccount Launcher, ModelTraining.Outcome Run)> PrepareAsync(ApiFactory api)
    {
        var ingest = api.Services.GetRequiredService<IngestService>();
        foreach (var entry in LoadManifest.Read(RepositoryFiles.PathOf("data/demo/load.json")).Loads)
            await ingest.LoadAsync(new IngestRequest(entry.Kind, entry.File, Path.GetFileName(entry.File), "demo-steward", entry.Options ?? IngestOptions.Default));
        // As scripts/run.sh builds them: the cumulative index too.
        var index = CumulativeIndexBuild.ReadDefinition(File.ReadAllText(RepositoryFiles.PathOf("data/catalog/cumulative_index.json")), "cumulative_index.json");
        await new FeatureBuild(api.Database.DataSource, TimeProvider.System).RunAsync(index: index);
        var launcher = await api.NewAccountAsync([Role.Reviewer, Role.Steward]);
        var spec = api.Services.GetRequiredService<ModelSpecifications>().Find("asthma_commune")!;
        return (launcher, await api.Services.GetRequiredService<ModelTraining>().RunAsync(spec, launcher.UserName));
    }
}
