using Hangfire;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Analytics.Jobs.Ingest;

/// <summary>
/// Loads an uploaded file in the background, through the same <see cref="IngestService"/> as the
/// command line. The upload is deleted whatever happens: loaded, unchanged, refused or failed.
/// </summary>
/// <remarks>
/// Not retried (a refused file is an outcome; a load that failed for another reason is marked failed
/// with it, and loading again is the steward's decision). Hangfire may still deliver a job twice when
/// its worker died: the second delivery finds the upload gone and the load's progress row marked by
/// the reaper, or marks it failed itself — it never loads a file twice.
/// </remarks>
[AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
public sealed class IngestJob(IngestService ingest, NpgsqlDataSource dataSource, ILogger<IngestJob> logger)
{
    public async Task RunAsync(IngestRequest request, CancellationToken cancellationToken)
    {
        try
        {
            if (!File.Exists(request.FilePath))
            {
                await using var command = dataSource.CreateCommand("""
                    UPDATE ingest.progress SET state = 'failed', updated_at = now(),
                        message = file_name || ': interrupted — the upload is gone and the load never finished. Upload the file again.'
                    WHERE load_id = $1 AND state IN ('queued', 'running')
                    """);
                command.Parameters.Add(new() { Value = request.LoadId });
                if (await command.ExecuteNonQueryAsync(cancellationToken) > 0)
                    logger.LogWarning("Load {LoadId}: the upload is gone and the load never finished; marked failed", request.LoadId);
                return;
            }
            var result = await ingest.LoadAsync(request, progress: null, cancellationToken);
            logger.LogInformation("Load {LoadId}: {Outcome}", request.LoadId, result.Describe());
        }
        catch (Exception e)
        {
            // Not the file's doing (the service records refusals itself): the load must still end, with its reason.
            await using var command = dataSource.CreateCommand("""
                UPDATE ingest.progress SET state = 'failed', updated_at = now(), message = file_name || ': the load failed (' || $2 || '); nothing of it was written. Load the file again.'
                WHERE load_id = $1 AND state IN ('queued', 'running')
                """);
            command.Parameters.Add(new() { Value = request.LoadId });
            command.Parameters.Add(new() { Value = e.GetType().Name });
            await command.ExecuteNonQueryAsync(CancellationToken.None);
            throw;
        }
        finally
        {
            File.Delete(request.FilePath);
        }
    }
}
