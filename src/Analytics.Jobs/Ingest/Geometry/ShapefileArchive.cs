using System.IO.Compression;
using NetTopologySuite.IO.Esri;

namespace Analytics.Jobs.Ingest.Geometry;

/// <summary>
/// A zipped Shapefile (.shp, .shx, .dbf, .prj, optional .cpg), unpacked within limits so that a
/// crafted archive (a "zip bomb") cannot fill the disk or memory.
/// </summary>
public static class ShapefileArchive
{
    public const int MaxEntries = 32;
    public const long MaxUnpackedBytes = 2L * 1024 * 1024 * 1024;
    public const double MaxCompressionRatio = 200;

    public static FeatureFile Read(string path, string fileName)
    {
        var folder = Directory.CreateTempSubdirectory("analytics-shp-");
        try
        {
            Unpack(path, fileName, folder.FullName);
            var shapes = Directory.GetFiles(folder.FullName, "*.shp", SearchOption.AllDirectories);
            if (shapes.Length != 1)
                throw new IngestException(fileName, null, null, shapes.Length == 0
                    ? "the archive holds no .shp file: a zipped Shapefile is expected"
                    : $"the archive holds {shapes.Length} .shp files: load them one at a time");
            var shp = shapes[0];
            foreach (var required in new[] { ".dbf", ".shx" })
                if (!File.Exists(Path.ChangeExtension(shp, required)))
                    throw new IngestException(fileName, null, null, $"the Shapefile has no {required} file beside its .shp");
            var prj = Path.ChangeExtension(shp, ".prj");
            int? srid = File.Exists(prj) ? Projections.SridFromWkt(File.ReadAllText(prj), fileName) : null;
            var features = new List<SourceFeature>();
            try
            {
                var index = 0;
                foreach (var feature in Shapefile.ReadAllFeatures(shp))
                    features.Add(new SourceFeature(++index, FeatureFile.AttributesOf(feature.Attributes), feature.Geometry));
            }
            catch (Exception e) when (e is IOException or ArgumentException or ShapefileException or FormatException or InvalidOperationException)
            {
                throw new IngestException(fileName, null, null, $"the Shapefile cannot be read: {e.Message}");
            }
            return new FeatureFile { FileName = fileName, Srid = srid, Features = features };
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Refuses an entry whose path climbs out (<c>..</c>), is absolute, or names a drive: a crafted archive, never a Shapefile.</summary>
    private static void CheckEntryPath(string entryPath, string fileName)
    {
        var segments = entryPath.Split('/', '\\');
        if (entryPath.StartsWith('/') || entryPath.StartsWith('\\') || entryPath.Contains(':', StringComparison.Ordinal) || segments.Contains(".."))
            throw new IngestException(fileName, null, null,
                $"the archive entry '{Text.Columns.Truncate(entryPath)}' has a path that is absolute or climbs out with '..': refused as a crafted archive");
    }

    private static void Unpack(string path, string fileName, string folder)
    {
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new IngestException(fileName, null, null, $"not a readable zip archive: {e.Message}");
        }
        using (archive)
        {
            if (archive.Entries.Count > MaxEntries)
                throw new IngestException(fileName, null, null, $"the archive has {archive.Entries.Count} entries, more than the {MaxEntries} a zipped Shapefile needs");
            var declared = archive.Entries.Sum(e => e.Length);
            if (declared > MaxUnpackedBytes)
                throw new IngestException(fileName, null, null, $"the archive would unpack to {declared:N0} bytes, more than the {MaxUnpackedBytes:N0} allowed");
            var compressed = Math.Max(1, archive.Entries.Sum(e => e.CompressedLength));
            if ((double)declared / compressed > MaxCompressionRatio)
                throw new IngestException(fileName, null, null, $"the archive is compressed {declared / compressed:N0} to 1, beyond the {MaxCompressionRatio:N0} allowed: refused as a possible zip bomb");
            foreach (var entry in archive.Entries)
                CheckEntryPath(entry.FullName, fileName);
            long written = 0;
            // Directory entries ("shp/") hold nothing; files are unpacked flat under their own name.
            foreach (var entry in archive.Entries.Where(e => e.Name.Length > 0))
            {
                var target = Path.GetFullPath(Path.Combine(folder, entry.Name));
                if (!target.StartsWith(Path.GetFullPath(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    throw new IngestException(fileName, null, null, $"the archive entry '{Text.Columns.Truncate(entry.FullName)}' would be written outside the unpacking folder");
                using var input = entry.Open();
                using var output = File.Create(target);
                var buffer = new byte[81920];
                int read;
                // Count what is really written: the sizes in the archive's directory can lie.
                while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
                {
                    written += read;
                    if (written > MaxUnpackedBytes || written > compressed * MaxCompressionRatio)
                        throw new IngestException(fileName, null, null, "the archive unpacks to more than it declares: refused as a possible zip bomb");
                    output.Write(buffer, 0, read);
                }
            }
        }
    }
}
