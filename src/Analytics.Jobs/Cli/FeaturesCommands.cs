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
            await stage.RunAsync(Console.WriteLine, CumulativeIndexBuild.ReadDefinition(File.ReadAllText(file.FullName), file.FullName), token);
            return 0;
        }, ct));
        var file = new Argument<FileInfo>("file") { Description = "CSV with columns zone_code, zone_name, commune_code (one row per commune of a zone)." };
        var zoning = new Option<string>("--name") { Description = "Name of the zoning (e.g. 'CPTS 2024').", Required = true };
        var user = new Option<string>("--as") { Description = "Who declares the zoning (recorded).", Required = true };
        var add = new Command("add", "Declare a custom zoning: each zone is accepted or refused under the secrecy rules, then gets figures at the next build.") { file, zoning, user };
        add.SetAction((parse, ct) => CliHost.RunAsync(async (services, token) =>
        {
            var zones = await new CustomZonings(services.GetRequiredService<NpgsqlDataSource>(), services.GetRequiredService<TimeProvider>())
                .AddAsync(parse.GetValue(zoning)!, parse.GetValue(file)!.FullName, parse.GetValue(user)!, cancellationToken: token);
            foreach (var zone in zones)
                Console.WriteLine($"{zone.Code} ({zone.Name}): {zone.Communes} communes, {zone.Population:N0} residents — {(zone.Refusal is null ? "accepted" : $"refused: {zone.Refusal}")}");
            return zones.All(z => z.Refusal is null) ? 0 : 1;
        }, ct));
        return new Command("features", "The Features stage: indicators, interpolation, secrecy, custom zonings.") { build, new Command("zoning", "Custom zonings.") { add } };
    }
}
