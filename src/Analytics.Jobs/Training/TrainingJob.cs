using Hangfire;
using Microsoft.Extensions.Logging;

namespace Analytics.Jobs.Training;

/// <summary>
/// Trains one model in the background for whoever asked, through the same <see cref="ModelTraining"/>
/// as the command line. Not retried: a failed run is recorded as failed, and training again is a new
/// run that someone decides to launch.
/// </summary>
/// <remarks>
/// Hangfire can still deliver a job twice (its worker died and the fetch timed out). Each launch
/// carries a key stored with its run: a delivery that finds a run for its key stops there — no second
/// run, no second release. A run whose process died is marked failed (interrupted) by the lease reaper.
/// </remarks>
[AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
public sealed class TrainingJob(ModelSpecifications specifications, ModelTraining training, ILogger<TrainingJob> logger)
{
    public async Task RunAsync(string specCode, string launchedBy, Guid jobKey, CancellationToken cancellationToken)
    {
        var spec = specifications.Find(specCode) ?? throw new KeyNotFoundException($"no model specification '{specCode}'");
        if (await training.RunOfJobAsync(jobKey, cancellationToken) is long existing)
        {
            logger.LogWarning("Model {Model}: launch {JobKey} delivered again; it already has run {Run}, not trained twice", specCode, jobKey, existing);
            return;
        }
        var outcome = await training.RunAsync(spec, launchedBy, cancellationToken, jobKey);
        logger.LogInformation("Model {Model}: run {Run}, champion {Champion}, fairness {Fairness}, release {Release}",
            specCode, outcome.RunId, outcome.Champion, outcome.Fairness, outcome.ReleaseId);
    }
}
