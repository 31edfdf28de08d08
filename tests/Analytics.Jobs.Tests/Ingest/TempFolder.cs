using System.Text;

namespace Analytics.Jobs.Tests.Ingest;

/// <summary>A temporary folder for the files a test writes, deleted with everything in it when disposed.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("analytics-ingest-tests-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, byte[] bytes)
    {
        var path = File(name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without byte order mark.</summary>
    public string Write(string name, string text) => Write(name, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
