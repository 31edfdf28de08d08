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
        var build = new Command("build", "Published health figures (with statistical secrecy) and exposures interpolated onto the communes.");
        build.SetAction((_, ct) => CliHost.RunAsync(async (services, token) =>
        {
            var stage = new FeatureBuild(services.GetRequiredService<NpgsqlDataSource>(), services.GetRequiredService<TimeProvider>());
            await stage.RunAsync(Console.WriteLine, token);
            return 0;
        }, ct));
        return new Command("features", "The Features stage: indicators, interpolation, secrecy.") { build };
    }
}
