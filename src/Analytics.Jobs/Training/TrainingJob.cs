using Hangfire;
using Microsoft.Extensions.Logging;

namespace Analytics.Jobs.Training;

/// <summary>
/// Trains one model in the background for whoever asked, through the same <see cref="ModelTraining"/>
/// as the command line. Not retried: a failed run is recorded as failed, and training again is a new
/// run that someone decides to launch.
/// </summary>
[AutomaticRetry(Attempts = 0)]
public sealed class TrainingJob(ModelSpecifications specifications, ModelTraining training, ILogger<TrainingJob> logger)
{
    public async Task RunAsync(string specCode, string launchedBy, CancellationToken cancellationToken)
    {
        var spec = specifications.Find(specCode) ?? throw new KeyNotFoundException($"no model specification '{specCode}'");
        var outcome = await training.RunAsync(spec, launchedBy, cancellationToken);
        logger.LogInformation("Model {Model}: run {Run}, champion {Champion}, fairness {Fairness}, release {Release}",
            specCode, outcome.RunId, outcome.Champion, outcome.Fairness, outcome.ReleaseId);
    }
}
