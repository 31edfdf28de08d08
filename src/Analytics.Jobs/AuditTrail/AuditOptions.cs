using System.ComponentModel.DataAnnotations;

namespace Analytics.Jobs.AuditTrail;

/// <summary>
/// The audit log's settings. Bound from the <c>Audit</c> configuration section
/// (environment variables <c>Audit__CheckpointKeyFile</c>, …).
/// </summary>
public sealed class AuditOptions : IValidatableObject
{
    public const string Section = "Audit";

    /// <summary>
    /// File whose bytes are the key that signs checkpoints (HMAC-SHA256), at least 32 bytes. Kept
    /// outside the database, readable only by the service account. No default: without it no
    /// checkpoint can be made or checked, so truncation of the log's end cannot be detected.
    /// </summary>
    public string? CheckpointKeyFile { get; set; }

    /// <summary>
    /// Folder where the daily maintenance job writes a signed checkpoint file, and where the API's
    /// verification finds the latest one. Should be storage the database's administrators cannot
    /// rewrite (a mounted backup or write-once volume). Needs <see cref="CheckpointKeyFile"/>.
    /// </summary>
    public string? CheckpointFolder { get; set; }

    /// <summary>Months an event is kept before the daily job purges it (default 12).</summary>
    [Range(1, 1200, ErrorMessage = "Audit:RetentionMonths must be between 1 and 1200.")]
    public int RetentionMonths { get; set; } = 12;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(CheckpointKeyFile))
        {
            var problem = KeyFileProblem(CheckpointKeyFile);
            if (problem is not null)
                yield return new ValidationResult(problem, [nameof(CheckpointKeyFile)]);
        }
        if (!string.IsNullOrWhiteSpace(CheckpointFolder) && string.IsNullOrWhiteSpace(CheckpointKeyFile))
            yield return new ValidationResult(
                "Audit:CheckpointFolder is set but Audit:CheckpointKeyFile is not: checkpoints need a key to be signed and checked.", [nameof(CheckpointFolder)]);
    }

    /// <summary>Reads the checkpoint key, fresh each time so a replaced key file takes effect at once.</summary>
    /// <exception cref="AuditTrailException">No key file is configured, or it cannot serve as a key.</exception>
    public byte[] LoadCheckpointKey()
    {
        if (string.IsNullOrWhiteSpace(CheckpointKeyFile))
            throw new AuditTrailException(AuditRefusal.NotConfigured,
                "Audit:CheckpointKeyFile is not set, so checkpoints can be neither made nor checked. Create a key outside the database " +
                "(head -c 32 /dev/urandom > /etc/analytics/audit-checkpoint.key; chmod 600 it) and set Audit__CheckpointKeyFile to its path.");
        return KeyFileProblem(CheckpointKeyFile) is { } problem
            ? throw new AuditTrailException(AuditRefusal.NotConfigured, problem)
            : File.ReadAllBytes(CheckpointKeyFile);
    }

    private static string? KeyFileProblem(string path)
    {
        if (!File.Exists(path))
            return $"Audit:CheckpointKeyFile '{path}' does not exist. Create it with: head -c 32 /dev/urandom > '{path}'; chmod 600 '{path}'.";
        var length = new FileInfo(path).Length;
        return length < Models.AuditTrail.AuditCheckpoint.MinimumKeyBytes
            ? $"Audit:CheckpointKeyFile '{path}' holds {length} bytes; a checkpoint key needs at least {Models.AuditTrail.AuditCheckpoint.MinimumKeyBytes}."
            : null;
    }
}
