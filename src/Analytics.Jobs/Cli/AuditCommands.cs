using System.CommandLine;
using Analytics.Jobs.AuditTrail;
using Analytics.Models.AuditTrail;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Analytics.Jobs.Cli;

/// <summary>
/// <c>audit verify|checkpoint|purge</c>: the tamper-evident audit log from a shell. Exit codes:
/// 0 done (chain intact), 1 chain broken, 65 unusable checkpoint file, 66 no such file,
/// 73 output file exists, 78 not configured (no checkpoint key).
/// </summary>
internal static class AuditCommands
{
    public static Command Create()
    {
        var checkpointFile = new Option<FileInfo?>("--checkpoint")
        {
            Description = "Signed checkpoint file to hold the log to (default: the latest one in Audit:CheckpointFolder, if set).",
        };
        var verify = new Command("verify", "Walk the whole hash chain; print the first broken link and exit 1 if there is one.") { checkpointFile };
        verify.SetAction((parse, ct) => CliHost.RunAsync((services, token) => Guarded(async () =>
        {
            var options = services.GetRequiredService<IOptions<AuditOptions>>().Value;
            var given = parse.GetValue(checkpointFile);
            if (given is { Exists: false })
                return Fail(66, $"no checkpoint file '{given.FullName}'");
            var checkpoint = given is not null
                ? (AuditCheckpointFolder.Read(given.FullName), given.FullName)
                : string.IsNullOrWhiteSpace(options.CheckpointFolder) ? null : new AuditCheckpointFolder(options.CheckpointFolder).Latest();
            var result = await services.GetRequiredService<AuditLog>().VerifyAsync(checkpoint?.Checkpoint, token);
            Console.WriteLine(AuditLog.Describe(result));
            Console.WriteLine(checkpoint is { } used
                ? $"checkpoint: {result.Checkpoint} (event {used.Checkpoint.Checkpoint.Sequence} of {used.Checkpoint.Checkpoint.CreatedAt:u}, {used.File})"
                : "checkpoint: none given, so events deleted from the end of the log cannot be detected");
            return result.IsIntact ? 0 : 1;
        }), ct));

        var output = new Option<FileInfo>("--out") { Description = "File to write the signed checkpoint to (must not exist yet).", Required = true };
        var checkpointCommand = new Command("checkpoint",
            "Verify the chain (against the latest checkpoint of Audit:CheckpointFolder, if set) and write a checkpoint of its head, signed with Audit:CheckpointKeyFile.") { output };
        checkpointCommand.SetAction((parse, ct) => CliHost.RunAsync((services, token) => Guarded(async () =>
        {
            var target = parse.GetValue(output)!;
            if (target.Exists)
                return Fail(73, $"'{target.FullName}' exists: a checkpoint is never overwritten");
            var options = services.GetRequiredService<IOptions<AuditOptions>>().Value;
            var previous = string.IsNullOrWhiteSpace(options.CheckpointFolder) ? null : new AuditCheckpointFolder(options.CheckpointFolder).Latest();
            var signed = await services.GetRequiredService<AuditLog>().CheckpointAsync(previous?.Checkpoint, token);
            await File.WriteAllTextAsync(target.FullName, signed.ToFileText(), token);
            Console.WriteLine($"checkpoint of event {signed.Checkpoint.Sequence} (head {signed.Checkpoint.Head}) written to {target.FullName}");
            return 0;
        }), ct));

        var purge = new Command("purge", "Delete the events older than Audit:RetentionMonths (default 12), once the chain verifies; the purge is itself logged.");
        purge.SetAction((_, ct) => CliHost.RunAsync((services, token) => Guarded(async () =>
        {
            var done = await services.GetRequiredService<AuditLog>().PurgeExpiredAsync(token);
            if (!done.Verification.IsIntact)
                return Fail(1, $"nothing purged: {AuditLog.Describe(done.Verification)}");
            Console.WriteLine(done.Purged == 0
                ? $"nothing to purge: no event is older than {done.Cutoff:u}"
                : $"purged {done.Purged} events older than {done.Cutoff:u} (events up to {done.PurgedThrough})");
            return 0;
        }), ct));

        return new Command("audit", "The tamper-evident audit log: verify, checkpoint, purge.") { verify, checkpointCommand, purge };
    }

    private static async Task<int> Guarded(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (AuditTrailException e)
        {
            return Fail(e.Refusal switch
            {
                AuditRefusal.ChainBroken => 1,
                AuditRefusal.UnusableCheckpointFile => 65,
                _ => 78,
            }, e.Message);
        }
    }

    private static int Fail(int exitCode, string message)
    {
        Console.Error.WriteLine($"error: audit: {message}");
        return exitCode;
    }
}
