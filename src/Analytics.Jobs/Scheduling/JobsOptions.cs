using System.ComponentModel.DataAnnotations;

namespace Analytics.Jobs.Scheduling;

/// <summary>How this process takes part in running jobs. Bound from the <c>Jobs</c> configuration section.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// Whether the API process also runs a Hangfire worker (default true: one process is enough
    /// for a small agency). Set to false when standalone workers (<c>analytics-jobs worker</c>) run the jobs.
    /// </summary>
    public bool RunWorkerInApi { get; set; } = true;

    /// <summary>Jobs one worker runs at once (default 2, the machine's cores; ingestion and training are CPU-bound).</summary>
    [Range(1, 64, ErrorMessage = "Jobs:WorkerCount must be between 1 and 64.")]
    public int WorkerCount { get; set; } = 2;

    /// <summary>How often an idle worker looks for new jobs, in seconds (default 2).</summary>
    [Range(1, 60, ErrorMessage = "Jobs:PollIntervalSeconds must be between 1 and 60.")]
    public int PollIntervalSeconds { get; set; } = 2;

    /// <summary>
    /// Seconds without a heartbeat after which a running load or training run is taken for dead and
    /// marked failed (interrupted), and after which Hangfire hands a job whose worker died to another
    /// (default 60; work beats every 3 s).
    /// </summary>
    [Range(15, 3600, ErrorMessage = "Jobs:LeaseTimeoutSeconds must be between 15 and 3600.")]
    public int LeaseTimeoutSeconds { get; set; } = 60;
}
