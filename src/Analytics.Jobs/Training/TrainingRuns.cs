using Npgsql;

namespace Analytics.Jobs.Training;

/// <summary>Where a launched training run stands: the reader behind the steward's progress bar.</summary>
public sealed class TrainingRuns(NpgsqlDataSource dataSource)
{
    /// <summary>The steps of a run, in order (<c>ml.model_run.step</c>): the progress bar counts them.</summary>
    public static IReadOnlyList<string> Steps { get; } = ["cross_validation", "final_fit", "fairness_audit", "mitigation", "storing"];

    /// <summary>
    /// A run's state (<c>running</c>, <c>succeeded</c>, <c>failed</c>), the step it is in or ended in, the steps
    /// finished (all of them once it succeeded), and the release awaiting review when it passed its checks.
    /// </summary>
    public sealed record Progress(long RunId, string Status, string? Step, int StepsDone, int StepCount, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
        string? Error, long? ReleaseId);

    /// <summary>The run of launch request <paramref name="jobKey"/>; null while the job waits or builds its matrix.</summary>
    public async Task<Progress?> OfLaunchAsync(Guid jobKey, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT r.id, r.status, r.step, r.started_at, r.finished_at, r.error, v.id
            FROM ml.model_run r LEFT JOIN review.release v ON v.run_id = r.id
            WHERE r.job_key = $1
            """);
        command.Parameters.Add(new() { Value = jobKey });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        var status = reader.GetString(1);
        var step = reader.IsDBNull(2) ? null : reader.GetString(2);
        var done = status == "succeeded" ? Steps.Count : step is null ? 0 : Steps.ToList().IndexOf(step);
        return new Progress(reader.GetInt64(0), status, step, done, Steps.Count, reader.GetFieldValue<DateTimeOffset>(3),
            reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetInt64(6));
    }
}
