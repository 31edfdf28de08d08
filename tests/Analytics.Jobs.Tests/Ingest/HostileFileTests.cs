using System.IO.Compression;
using Analytics.Jobs.Ingest;
using Analytics.Jobs.Scheduling;
using Analytics.Jobs.Tests.Ingest.Corpus;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Analytics.Jobs.Tests.Ingest;

/// <summary>
/// Hostile uploads through the background job, as the API runs them: each ends with its load
/// marked failed and its reason, the upload deleted, no load left running and no data changed;
/// a load stopped by something other than its file ends failed too, with its upload deleted.
/// </summary>
public class HostileFileTests(ReferenceWorld world) : IClassFixture<ReferenceWorld>
{
    public static TheoryData<string> Names { get; } = new(MalformedCorpus.All.Where(i => i.Name.StartsWith("hostile: ", StringComparison.Ordinal)).Select(i => i.Name));

    private IngestJob Job(IngestService? service = null) => new(service ?? world.Service, world.Db.DataSource, NullLogger<IngestJob>.Instance);

    private (IngestRequest Request, string Folder) Upload(IngestKind kind, IngestOptions options, Action<string> write)
    {
        var folder = Directory.CreateDirectory(world.Files.File($"uploads-{Guid.NewGuid():N}")).FullName;
        var loadId = Guid.NewGuid();
        var path = Path.Combine(folder, $"{loadId:N}.upload");
        write(path);
        return (new IngestRequest(kind, path, "upload.file", "test:steward", options) { LoadId = loadId }, folder);
    }

    private async Task<(string State, string? Message)> ProgressAsync(Guid loadId) =>
        (await world.Db.ScalarAsync<string>("SELECT state FROM ingest.progress WHERE load_id = $1", loadId),
         await world.Db.ScalarAsync<string?>("SELECT message FROM ingest.progress WHERE load_id = $1", loadId));

    [Theory]
    [MemberData(nameof(Names))]
    public async Task a_hostile_upload_ends_failed_with_its_reason_its_file_deleted_and_nothing_running(string name)
    {
        var input = MalformedCorpus.Get(name);
        var (request, folder) = Upload(input.Kind, input.Options, input.Write);
        request = request with { FileName = input.FileName };
        var before = await DataChecksums.TakeAsync(world.Db);
        await world.Service.QueueAsync(request);

        await Job().RunAsync(request, CancellationToken.None);

        var (state, message) = await ProgressAsync(request.LoadId);
        Assert.Equal("failed", state);
        Assert.StartsWith(input.FileName, message);
        Assert.Contains(input.Expected is RefusedWhole whole ? whole.Reason : "records were rejected", message);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
        Assert.Equal(0L, await world.Db.ScalarAsync<long>("SELECT count(*) FROM ingest.progress WHERE state IN ('queued', 'running')"));
        Assert.Equal(before, await DataChecksums.TakeAsync(world.Db));
    }

    [Fact]
    public async Task a_gzip_decompressing_beyond_the_configured_limit_is_refused_as_a_bomb()
    {
        var service = new IngestService(world.Db.DataSource, new FakeTimeProvider(ReferenceWorld.Today), NullLogger<IngestService>.Instance,
            limits: new IngestLimits { MaxDecompressedBytes = 1 << 20 });
        // 2 MiB of short valid-looking lines: no line limit is hit, only the decompressed size.
        var (request, folder) = Upload(IngestKind.Health, IngestOptions.Default, path =>
        {
            using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(BaseFiles.HealthHeader + "\n"));
            var row = System.Text.Encoding.UTF8.GetBytes("22001;commune;2022;J45-J46;F;0-14;1;110\n");
            for (var i = 0; i < (2 << 20) / row.Length; i++)
                gzip.Write(row);
        });
        await service.QueueAsync(request);

        await Job(service).RunAsync(request, CancellationToken.None);

        var (state, message) = await ProgressAsync(request.LoadId);
        Assert.Equal("failed", state);
        Assert.Contains("decompresses to more than 1,048,576 bytes, the limit set by Ingest:MaxDecompressedBytes", message);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public async Task a_load_stopped_by_something_else_than_its_file_ends_failed_with_its_reason_and_its_upload_deleted()
    {
        var (request, folder) = Upload(IngestKind.Health, IngestOptions.Default, path => File.WriteAllText(path, BaseFiles.HealthCsv() + "\n\n"));
        await world.Service.QueueAsync(request);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Job().RunAsync(request, cancelled.Token));

        var (state, message) = await ProgressAsync(request.LoadId);
        Assert.Equal("failed", state);
        Assert.Contains("nothing of it was written", message);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public async Task a_load_delivered_again_after_its_upload_is_gone_ends_failed_and_loads_nothing()
    {
        var (request, _) = Upload(IngestKind.Health, IngestOptions.Default, path => File.WriteAllText(path, BaseFiles.HealthCsv()));
        await world.Service.QueueAsync(request);
        File.Delete(request.FilePath);
        var batches = await world.Db.ScalarAsync<long>("SELECT count(*) FROM ingest.batch");

        await Job().RunAsync(request, CancellationToken.None);

        var (state, message) = await ProgressAsync(request.LoadId);
        Assert.Equal("failed", state);
        Assert.Contains("interrupted — the upload is gone", message);
        Assert.Equal(batches, await world.Db.ScalarAsync<long>("SELECT count(*) FROM ingest.batch"));
    }

    [Fact]
    public async Task a_load_holds_a_lease_written_by_its_worker()
    {
        var (request, _) = Upload(IngestKind.Health, IngestOptions.Default, path => File.WriteAllText(path, BaseFiles.HealthCsv() + "\n\n\n"));
        await world.Service.QueueAsync(request);
        Assert.True(await world.Db.ScalarAsync<bool>("SELECT heartbeat_at IS NULL FROM ingest.progress WHERE load_id = $1", request.LoadId));

        await Job().RunAsync(request, CancellationToken.None);

        Assert.Equal(Leases.Worker, await world.Db.ScalarAsync<string>("SELECT worker FROM ingest.progress WHERE load_id = $1", request.LoadId));
        Assert.True(await world.Db.ScalarAsync<bool>("SELECT heartbeat_at > now() - interval '1 minute' FROM ingest.progress WHERE load_id = $1", request.LoadId));
    }
}
