using Hangfire;
using Hangfire.Server;
using Hangfire.States;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Analytics.Jobs.Scheduling;

/// <summary>
/// One Hangfire job per stage of a <see cref="Pipeline"/> run, and one per training unit (model specification),
/// chained by continuations: the features build is enqueued when the ingest succeeded, and every training unit when
/// the features build succeeded, all at once so that several workers train them in parallel; never a job per
/// territory. Transient failures only (database unreachable, a stage held by a live worker) are retried, after
/// 30 s, 2 min and 10 min; anything else, or a transient failure on the last attempt, fails the stage, its run,
/// and the chain.
/// </summary>
[AutomaticRetry(Attempts = Retries, DelaysInSeconds = [30, 120, 600], OnlyOn = [typeof(TransientStageException)], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
public sealed class PipelineJob(Pipeline pipeline, IBackgroundJobClient jobs, IOptions<PipelineOptions> options)
{
    public const string RecurringJobId = "pipeline";

    /// <summary>How many times a transient failure is retried.</summary>
    public const int Retries = 3;

    /// <summary>
    /// Enqueues the stages of <paramref name="run"/>: ingest, the features build after it succeeded, then each of the
    /// run's training units after the features build succeeded; returns the first job's id.
    /// </summary>
    public static string Enqueue(IBackgroundJobClient jobs, Pipeline.RunView run)
    {
        var runId = run.Id;
        var ingest = jobs.Enqueue<PipelineJob>(job => job.StageAsync(runId, "ingest", null, null, CancellationToken.None));
        var features = jobs.ContinueJobWith<PipelineJob>(ingest, job => job.StageAsync(runId, "features", null, null, CancellationToken.None),
            JobContinuationOptions.OnlyOnSucceededState);
        foreach (var unit in run.TrainingUnits)
            jobs.ContinueJobWith<PipelineJob>(features, job => job.StageAsync(runId, "training", unit, null, CancellationToken.None), JobContinuationOptions.OnlyOnSucceededState);
        return ingest;
    }

    /// <param name="runId">The pipeline run.</param>
    /// <param name="stage">One of <see cref="Pipeline.Stages"/>.</param>
    /// <param name="unit">For training, the model specification's code; null otherwise.</param>
    /// <param name="context">Given by Hangfire (null when enqueued): how many retries were made.</param>
    /// <param name="cancellationToken">Given by Hangfire: the server is stopping.</param>
    public Task StageAsync(long runId, string stage, string? unit, PerformContext? context, CancellationToken cancellationToken) =>
        pipeline.RunStageAsync(runId, stage, unit, retried: context is not null && context.GetJobParameter<int>("RetryCount") < Retries, cancellationToken);

    /// <summary>The recurring job (<see cref="PipelineOptions.Schedule"/>): a new run, its stages enqueued.</summary>
    public async Task ScheduledAsync(CancellationToken cancellationToken)
    {
        var run = await pipeline.CreateRunAsync("schedule", $"schedule:{options.Value.Schedule}", cancellationToken: cancellationToken);
        Enqueue(jobs, (await pipeline.RunAsync(run, cancellationToken))!);
    }

    /// <summary>Declares (or removes) the recurring run when a host starts, from the configuration.</summary>
    internal sealed class Schedule(IRecurringJobManager recurring, IOptions<PipelineOptions> options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(options.Value.Schedule))
                recurring.RemoveIfExists(RecurringJobId);
            else
                recurring.AddOrUpdate<PipelineJob>(RecurringJobId, job => job.ScheduledAsync(CancellationToken.None), options.Value.Schedule);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
