using System.ComponentModel.DataAnnotations;

namespace Analytics.Api.Ingest;

/// <summary>Where uploads wait for their load, and how large they may be. Bound from the <c>Ingest</c> section.</summary>
public sealed class UploadOptions
{
    public const string Section = "Ingest";

    /// <summary>
    /// Folder for uploaded files until a worker loads them (default: a folder under the system's
    /// temporary directory). Standalone workers on other machines need it shared.
    /// </summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Ingest:UploadFolder must name a folder.")]
    public string UploadFolder { get; set; } = Path.Combine(Path.GetTempPath(), "analytics-uploads");

    /// <summary>Largest upload accepted, in bytes (default 2 GiB).</summary>
    [Range(1024, long.MaxValue, ErrorMessage = "Ingest:MaxUploadBytes must be at least 1024.")]
    public long MaxUploadBytes { get; set; } = 2L * 1024 * 1024 * 1024;
}
