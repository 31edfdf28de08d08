using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Analytics.Jobs.Scheduling;

/// <summary>
/// One Hangfire job per stage of a <see cref="Pipeline"/> run, chained by continuations: a stage is
/// enqueued when the one before it succeeded, never per territory. Transient failures only (database
/// unreachable, a stage held by a live worker) are retried, after 30 s, 2 min and 10 min; anything else
/// fails the stage, its run, and the chain.
/// </summary>
[AutomaticRetry(Attempts = 3, DelaysInSeconds = [30, 120, 600], OnlyOn = [typeof(TransientStageException)], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
public sealed class PipelineJob(Pipeline pipeline, IBackgroundJobClient jobs, IOptions<PipelineOptions> options)
{
    public const string RecurringJobId = "pipeline";

    /// <summary>Enqueues the stages of run <paramref name="runId"/>, each after the previous succeeded; returns the first job's id.</summary>
    public static string Enqueue(IBackgroundJobClient jobs, long runId)
    {
        var first = jobs.Enqueue<PipelineJob>(job => job.StageAsync(runId, Pipeline.Stages[0], CancellationToken.None));
        var previous = first;
        foreach (var stage in Pipeline.Stages.Skip(1))
            previous = jobs.ContinueJobWith<PipelineJob>(previous, job => job.StageAsync(runId, stage, CancellationToken.None), JobContinuationOptions.OnlyOnSucceededState);
        return first;
    }

    public Task StageAsync(long runId, string stage, CancellationToken cancellationToken) => pipeline.RunStageAsync(runId, stage, cancellationToken);

    /// <summary>The recurring job (<see cref="PipelineOptions.Schedule"/>): a new run, its stages enqueued.</summary>
    public async Task ScheduledAsync(CancellationToken cancellationToken)
    {
        var run = await pipeline.CreateRunAsync("schedule", $"schedule:{options.Value.Schedule}", cancellationToken: cancellationToken);
        Enqueue(jobs, run);
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
