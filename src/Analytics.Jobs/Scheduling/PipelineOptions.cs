namespace Analytics.Jobs.Scheduling;

/// <summary>The scheduled pipeline (section <c>Pipeline</c>): what it ingests, how often it runs.</summary>
public sealed class PipelineOptions
{
    public const string Section = "Pipeline";

    /// <summary>Load manifest of the drop folder (e.g. <c>/srv/drop/load.json</c>); none: the pipeline has no ingest stage.</summary>
    public string? DropManifest { get; set; }

    /// <summary>Cron expression of the recurring run (e.g. <c>0 2 * * 0</c>, Sundays at 02:00 UTC); none: on demand only.</summary>
    public string? Schedule { get; set; }

    /// <summary>Definition of the cumulative index the features stage builds.</summary>
    public string IndexDefinition { get; set; } = "data/catalog/cumulative_index.json";
}
