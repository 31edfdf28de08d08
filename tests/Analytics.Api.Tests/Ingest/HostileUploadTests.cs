using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Xunit.Abstractions;

namespace Analytics.Api.Tests.Ingest;

public class HostileUploadApiFactory : WorkerApiFactory
{
    public string UploadFolder { get; } = Directory.CreateTempSubdirectory("analytics-hostile-uploads-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Ingest:UploadFolder", UploadFolder);
    }
}

/// <summary>
/// Hostile uploads over HTTP: a small gzip holding one line of 300 MB is refused by name within
/// bounded memory and leaves no file in the upload folder.
/// </summary>
[Collection(JobWorkersCollection.Name)]
public class HostileUploadTests(HostileUploadApiFactory api, ITestOutputHelper output) : IClassFixture<HostileUploadApiFactory>
{
    private static MultipartFormDataContent FileContent(HttpContent file, string fileName)
    {
        var content = new MultipartFormDataContent();
        file.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        content.Add(file, "file", fileName);
        return content;
    }

    /// <summary>A header, then one line of 300 MB of digits, gzip-compressed to about 300 KB.</summary>
    private static byte[] OneHugeLineGzip()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize))
        {
            gzip.Write("code;label_fr;label_en;unit;domain;method;licence;source\n"u8);
            var block = new byte[1 << 20];
            Array.Fill(block, (byte)'7');
            for (var i = 0; i < 300; i++)
                gzip.Write(block);
            gzip.Write("\n"u8);
        }
        return buffer.ToArray();
    }

    [Fact]
    public async Task a_small_gzip_of_one_300_MB_line_is_refused_by_name_in_bounded_memory_and_leaves_no_file()
    {
        var steward = await api.ClientWithRolesAsync("steward");
        var gzip = OneHugeLineGzip();
        Assert.InRange(gzip.Length, 1, 2_000_000);
        GC.Collect();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.WorkingSet64;
        long peak = before;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(10);
            }
        });

        var response = await steward.PostAsync("/api/ingest/catalog", FileContent(new ByteArrayContent(gzip), "one-line.csv.gz"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var progress = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("progress").GetString()!;
        JsonElement load;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((load = await steward.GetFromJsonAsync<JsonElement>(progress)).GetProperty("state").GetString() is "queued" or "running" && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        await stop.CancelAsync();
        await sampler;

        output.WriteLine($"working set before {before / (1 << 20)} MiB, peak during the upload and load {peak / (1 << 20)} MiB");
        Assert.Equal("failed", load.GetProperty("state").GetString());
        Assert.StartsWith("one-line.csv.gz, line 2: line 2 is longer than 64 KiB", load.GetProperty("message").GetString());
        // Growth, not the level: the test process holds other fixtures. Reading the 300 MB line would add at least 300 MiB.
        Assert.True(peak - before < 150L << 20, $"the process grew by {(peak - before) / (1 << 20)} MiB during the upload");
        Assert.Empty(Directory.GetFileSystemEntries(api.UploadFolder));
    }
}
