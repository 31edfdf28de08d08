using System.CommandLine;
using Analytics.Jobs.Scheduling;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Jobs.Cli;

/// <summary><c>pipeline run</c>: ingest → features → training, through the job workers or in this process.</summary>
internal static class PipelineCommands
{
    public static Command Create()
    {
        var manifest = new Option<FileInfo?>("--manifest") { Description = "Load manifest of the ingest stage (default: the setting Pipeline:DropManifest; none: no ingest)." };
        var inline = new Option<bool>("--inline") { Description = "Run the stages in this process instead of enqueuing them for the job workers." };
        var detach = new Option<bool>("--detach") { Description = "Enqueue the run for the job workers and return at once, without following it." };
        var user = new Option<string>("--as") { Description = "Who asks (recorded).", DefaultValueFactory = _ => $"cli:{Environment.UserName}" };
        var run = new Command("run", "Run the pipeline: stages whose inputs did not change are skipped; prints each stage as it ends.") { manifest, inline, detach, user };
        run.SetAction((parse, ct) => CliHost.RunAsync(async (services, token) =>
        {
            var pipeline = services.GetRequiredService<Pipeline>();
            var file = parse.GetValue(manifest);
            if (file is { Exists: false })
                throw new FileNotFoundException($"the load manifest {file.FullName} does not exist (option --manifest)");
            var id = await pipeline.CreateRunAsync("command_line", parse.GetValue(user)!, file?.FullName, token);
            Console.WriteLine($"pipeline run {id}");
            if (parse.GetValue(inline) && parse.GetValue(detach))
                throw new ArgumentException("--inline and --detach exclude each other: a run in this process cannot be left behind");
            if (parse.GetValue(inline))
            {
                await pipeline.RunInlineAsync(id, line => Console.WriteLine($"  {line}"), token);
            }
            else
            {
                PipelineJob.Enqueue(services.GetRequiredService<IBackgroundJobClient>(), (await pipeline.RunAsync(id, token))!);
                if (parse.GetValue(detach))
                {
                    Console.WriteLine("  enqueued for the job workers (analytics-jobs worker, or the API's own)");
                    return 0;
                }
                Console.WriteLine("  enqueued for the job workers (analytics-jobs worker, or the API's own); following it:");
                await FollowAsync(pipeline, id, token);
            }
            var outcome = (await pipeline.RunAsync(id, token))!;
            Console.WriteLine($"pipeline run {id}: {outcome.Status}{(outcome.Error is null ? "" : $" — {outcome.Error}")}");
            return outcome.Status == "succeeded" ? 0 : 1;
        }, ct));
        return new Command("pipeline", "The scheduled pipeline (Pipeline:Schedule runs it on the job workers).") { run };
    }

    private static async Task FollowAsync(Pipeline pipeline, long id, CancellationToken cancellationToken)
    {
        var reported = new HashSet<(string, string)>();
        while (true)
        {
            var run = (await pipeline.RunAsync(id, cancellationToken))!;
            foreach (var stage in run.Stages.Where(s => reported.Add((s.ToString(), s.Status))))
                Console.WriteLine($"  {stage}: {stage.Status}{(stage.Detail is null ? "" : $" — {stage.Detail}")}");
            if (run.Status is "succeeded" or "failed")
                return;
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }
}
