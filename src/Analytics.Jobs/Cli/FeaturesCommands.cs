using System.CommandLine;
using Analytics.Jobs.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Analytics.Jobs.Cli;

/// <summary><c>features build</c>: run the Features stage over what is loaded.</summary>
internal static class FeaturesCommands
{
    public static Command Create()
    {
        var index = new Option<FileInfo>("--index") { Description = "Definition of the cumulative index.", DefaultValueFactory = _ => new FileInfo("data/catalog/cumulative_index.json") };
        var build = new Command("build", "Published health figures (with statistical secrecy), exposures interpolated onto the communes, clusters, cumulative index.") { index };
        build.SetAction((parse, ct) => CliHost.RunAsync(async (services, token) =>
        {
            var file = parse.GetValue(index)!;
            if (!file.Exists)
                throw new FileNotFoundException($"the cumulative index definition {file.FullName} does not exist (option --index)");
            var stage = new FeatureBuild(services.GetRequiredService<NpgsqlDataSource>(), services.GetRequiredService<TimeProvider>());
            await stage.RunAsync(Console.WriteLine, CumulativeIndexBuild.ReadDefinition(File.ReadAllText(file.FullName), file.FullName), cancellationToken: token);
            return 0;
        }, ct));
        return new Command("features", "The Features stage: indicators, interpolation, secrecy, roll-ups onto custom zonings (load a zoning with 'ingest zoning').") { build };
    }
}
