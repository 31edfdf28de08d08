using Analytics.Models.AuditTrail;
using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Jobs.AuditTrail;

/// <summary>
/// Daily upkeep of the audit log (recurring job <see cref="RecurringJobId"/>, 03:00 UTC): purges
/// the events older than the retention period, then writes a signed checkpoint of the head to the
/// checkpoint folder, after verifying the chain against the previous checkpoint.
/// </summary>
/// <remarks>
/// Idempotent: a second run purges nothing more and writes one more checkpoint of the same head.
/// A broken chain fails the job — nothing purged, no checkpoint written — so it shows in the
/// dashboard's failed list after two retries; 'analytics-jobs audit verify' says where it broke.
/// Without <see cref="AuditOptions.CheckpointFolder"/> it only purges, and logs a warning.
/// Takes the audit writers' lock only while purging.
/// </remarks>
[AutomaticRetry(Attempts = 2)]
public sealed class AuditMaintenanceJob(AuditLog audit, IOptions<AuditOptions> options, ILogger<AuditMaintenanceJob> logger)
{
    public const string RecurringJobId = "audit-maintenance";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var purge = await audit.PurgeExpiredAsync(cancellationToken);
        if (!purge.Verification.IsIntact)
            throw new AuditTrailException(AuditRefusal.ChainBroken, $"Audit maintenance stopped, nothing purged: {AuditLog.Describe(purge.Verification)}", purge.Verification);
        if (purge.Purged > 0)
            logger.LogInformation("Purged {Count} audit events older than {Cutoff:u} (through event {Sequence})", purge.Purged, purge.Cutoff, purge.PurgedThrough);

        if (string.IsNullOrWhiteSpace(options.Value.CheckpointFolder))
        {
            logger.LogWarning("No audit checkpoint written: Audit:CheckpointFolder is not set, so deleting the log's last events would go unnoticed");
            return;
        }
        var folder = new AuditCheckpointFolder(options.Value.CheckpointFolder);
        var checkpoint = await audit.CheckpointAsync(folder.Latest()?.Checkpoint, cancellationToken);
        var file = folder.Write(checkpoint);
        logger.LogInformation("Audit checkpoint of event {Sequence} written to {File}", checkpoint.Checkpoint.Sequence, file);
    }
}
