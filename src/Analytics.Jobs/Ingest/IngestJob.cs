using Hangfire;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Analytics.Jobs.Ingest;

/// <summary>
/// Loads an uploaded file in the background, through the same <see cref="IngestService"/> as the
/// command line. The upload is deleted once the load has an outcome (loaded, unchanged, failed).
/// </summary>
/// <remarks>
/// At-least-once, like every Hangfire job: a worker that dies mid-load leaves nothing in the
/// database (the load is one transaction) and the retry starts over; a retry that finds the upload
/// gone checks <c>ingest.progress</c> and stops if the load already finished. A refused file is an
/// outcome, not a failure: it is not retried. Infrastructure errors (lost connection) are retried
/// three times, then the job is left failed in the dashboard.
/// </remarks>
[AutomaticRetry(Attempts = 3)]
public sealed class IngestJob(IngestService ingest, NpgsqlDataSource dataSource, ILogger<IngestJob> logger)
{
    public async Task RunAsync(IngestRequest request, CancellationToken cancellationToken)
    {
        if (!File.Exists(request.FilePath))
        {
            await using var command = dataSource.CreateCommand("SELECT state FROM ingest.progress WHERE load_id = $1");
            command.Parameters.Add(new() { Value = request.LoadId });
            var state = await command.ExecuteScalarAsync(cancellationToken) as string;
            if (state is "loaded" or "unchanged" or "failed")
                return;
            throw new FileNotFoundException($"The upload of {request.FileName} (load {request.LoadId}) is gone and the load never finished: upload it again.");
        }
        var result = await ingest.LoadAsync(request, progress: null, cancellationToken);
        logger.LogInformation("Load {LoadId}: {Outcome}", request.LoadId, result.Describe());
        File.Delete(request.FilePath);
    }
}
