using System.Globalization;
using Analytics.Models.AuditTrail;

namespace Analytics.Jobs.AuditTrail;

/// <summary>
/// Signed checkpoint files in a folder outside the database (<see cref="AuditOptions.CheckpointFolder"/>),
/// one per checkpoint, named <c>audit-checkpoint-&lt;sequence&gt;-&lt;UTC time&gt;.json</c>.
/// </summary>
public sealed class AuditCheckpointFolder(string path)
{
    private const string Pattern = "audit-checkpoint-*.json";

    /// <summary>Writes a new checkpoint file (whole or not at all) and returns its path.</summary>
    public string Write(SignedCheckpoint checkpoint)
    {
        Directory.CreateDirectory(path);
        var name = string.Create(CultureInfo.InvariantCulture,
            $"audit-checkpoint-{checkpoint.Checkpoint.Sequence:D12}-{checkpoint.Checkpoint.CreatedAt.UtcDateTime:yyyyMMdd'T'HHmmssffffff'Z'}.json");
        var file = Path.Combine(path, name);
        var partial = file + ".partial";
        File.WriteAllText(partial, checkpoint.ToFileText());
        File.Move(partial, file, overwrite: false);
        return file;
    }

    /// <summary>The checkpoint covering the most events (the latest of those), or null when the folder holds none.</summary>
    /// <exception cref="AuditTrailException">A file in the folder is not a checkpoint: it is named rather than skipped, since a damaged latest checkpoint must not pass unnoticed.</exception>
    public (SignedCheckpoint Checkpoint, string File)? Latest()
    {
        if (!Directory.Exists(path))
            return null;
        (SignedCheckpoint Checkpoint, string File)? latest = null;
        foreach (var file in Directory.EnumerateFiles(path, Pattern))
        {
            var checkpoint = Read(file);
            if (latest is not { } best
                || checkpoint.Checkpoint.Sequence > best.Checkpoint.Checkpoint.Sequence
                || (checkpoint.Checkpoint.Sequence == best.Checkpoint.Checkpoint.Sequence && checkpoint.Checkpoint.CreatedAt > best.Checkpoint.Checkpoint.CreatedAt))
                latest = (checkpoint, file);
        }
        return latest;
    }

    /// <summary>Reads one checkpoint file.</summary>
    /// <exception cref="AuditTrailException">The file cannot be read or is not a checkpoint.</exception>
    public static SignedCheckpoint Read(string file)
    {
        try
        {
            return SignedCheckpoint.Parse(File.ReadAllText(file));
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new AuditTrailException(AuditRefusal.UnusableCheckpointFile, $"The checkpoint file '{file}' cannot be used: {e.Message}");
        }
    }
}
