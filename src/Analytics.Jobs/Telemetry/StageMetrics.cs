using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Analytics.Jobs.Telemetry;

/// <summary>
/// The pipeline's own measurements: how long each stage took and how many rows it went through,
/// tagged with the stage's name (<c>ingest.health</c>, <c>features.expected_cases</c>,
/// <c>training.cross_validation</c>, …). A stage is measured with <see cref="Start"/> and
/// <see cref="StageTimer.Stop"/>; only stages that finish are recorded, a failed one is in the logs.
/// </summary>
/// <remarks>
/// The meter is static, like the framework's and Npgsql's: stages are built with <c>new</c> in
/// jobs, commands and tests, and a listener (OpenTelemetry, a test's <see cref="MeterListener"/>)
/// subscribes by <see cref="MeterName"/> whichever host runs them.
/// </remarks>
public static class StageMetrics
{
    /// <summary>The meter's name, for <c>AddMeter</c> and listeners.</summary>
    public const string MeterName = "Analytics.Jobs";

    /// <summary>The histogram of stage durations, in seconds (Prometheus: <c>analytics_stage_duration_seconds</c>).</summary>
    public const string DurationName = "analytics.stage.duration";

    /// <summary>The counter of rows stages went through (Prometheus: <c>analytics_stage_rows_total</c>).</summary>
    public const string RowsName = "analytics.stage.rows";

    /// <summary>The tag naming the stage on both instruments.</summary>
    public const string StageTag = "stage";

    private static readonly Meter Meter = new(MeterName);

    // Stages last from a fraction of a second (a small load) to an hour (national training); the
    // SDK's default buckets are made for milliseconds.
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(DurationName, "s",
        "How long a pipeline stage took, from its start to its end.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] });

    private static readonly Counter<long> Rows = Meter.CreateCounter<long>(RowsName, "{row}",
        "Rows a pipeline stage went through: rows loaded, values written, or the feature matrix's rows for training steps.");

    /// <summary>Starts timing <paramref name="stage"/>.</summary>
    public static StageTimer Start(string stage) => new(stage, Stopwatch.GetTimestamp());

    /// <summary>One stage being timed.</summary>
    public readonly struct StageTimer(string stage, long started)
    {
        /// <summary>The time since the stage started.</summary>
        public TimeSpan Elapsed => Stopwatch.GetElapsedTime(started);

        /// <summary>Records the stage's duration and the <paramref name="rows"/> it went through, when it counts them.</summary>
        public void Stop(long? rows)
        {
            var tag = new KeyValuePair<string, object?>(StageTag, stage);
            Duration.Record(Elapsed.TotalSeconds, tag);
            if (rows is { } count)
                Rows.Add(count, tag);
        }
    }
}
