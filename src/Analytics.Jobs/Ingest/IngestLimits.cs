using System.ComponentModel.DataAnnotations;

namespace Analytics.Jobs.Ingest;

/// <summary>Limits on what a file may cost to read, whoever loads it. Bound from the <c>Ingest</c> configuration section.</summary>
public sealed class IngestLimits
{
    public const string Section = "Ingest";

    /// <summary>
    /// Largest decompressed size of a gzip-compressed CSV file, in bytes (default 4 GiB), counted as
    /// the file is read: a small file that inflates beyond it is refused as a decompression bomb.
    /// </summary>
    [Range(1024, long.MaxValue, ErrorMessage = "Ingest:MaxDecompressedBytes must be at least 1024.")]
    public long MaxDecompressedBytes { get; set; } = Text.CsvFile.DefaultMaxDecompressedBytes;

    public static IngestLimits Default { get; } = new();
}
