namespace Analytics.Jobs;

/// <summary>
/// The folders of Analytics.Jobs that own data, in the order data flows through them, then the
/// platform beside the flow. Each owns the tables its <c>Migrations</c> folder creates (and only
/// those: StagesTests checks both ways) and the readers through which the API serves
/// them. docs/architecture.md draws the same list.
/// </summary>
public static class Stages
{
    /// <param name="Folder">The stage's folder in src/Analytics.Jobs.</param>
    /// <param name="Does">What it does, in a line.</param>
    /// <param name="Tables">The tables and views its migrations create, schema-qualified.</param>
    /// <param name="Readers">The classes through which the API reads them.</param>
    public sealed record Stage(string Folder, string Does, IReadOnlyList<string> Tables, IReadOnlyList<Type> Readers);

    /// <summary>ingest → features → train → fairness reports → review and release; the API serves what the last one lets through.</summary>
    public static IReadOnlyList<Stage> Flow { get; } =
    [
        new("Ingest", "files into PostGIS: validated, all or nothing, quarantined rows kept with reasons",
            ["ingest.batch", "ingest.quarantine", "ingest.progress", "catalog.indicator", "geo.territory", "geo.code_change", "geo.source_layer",
             "geo.source_feature", "facts.health_count", "facts.territory_value", "facts.feature_value", "facts.territory_label"],
            [typeof(Ingest.LoadHistory), typeof(Ingest.TerritoryDirectory), typeof(Ingest.IndicatorCatalogue)]),
        new("Features", "interpolated exposures, published health figures under secrecy, clusters, cumulative index, feature matrices",
            ["geo.interp_weight_set", "geo.interp_weight", "geo.territory_ancestor", "geo.custom_zone", "features.expected_cases", "features.territory_exposure",
             "features.health_indicator", "features.whole_indicator", "features.spatial_pattern", "features.territory_cluster", "features.scan_cluster",
             "features.feature_matrix", "features.feature_matrix_row", "features.cumulative_index", "features.custom_zone_indicator",
             "features.custom_zone_exposure", "geo.territory_tile_geometry", "features.build"],
            [typeof(Features.PublishedFigures), typeof(Features.PublishedZones), typeof(Features.TerritoryTiles)]),
        new("Training", "blocked cross-validation, champion, predictions, model card; stores the run's fairness reports",
            ["ml.model_run", "ml.prediction", "ml.fairness_report"], [typeof(Training.TrainingRuns)]),
        new("FairnessReports", "the fairness report as JSON, CSV and French HTML, whole and published forms", [], []),
        new("Release", "releases, reviewers' decisions, exclusions, analysts' comments; the publication gate",
            ["review.release", "review.territory_exclusion", "review.item", "review.release_in_force", "review.release_prediction"],
            [typeof(Release.PublishedReleases), typeof(Release.PlanningSets), typeof(Release.ReleaseFiles)]),
    ];

    /// <summary>What every stage stands on: accounts, the audit log, the database and the job system.</summary>
    public static IReadOnlyList<Stage> Platform { get; } =
    [
        new("Accounts", "local accounts, roles, second factors, sessions, personal API tokens", ["auth.account", "auth.api_token", "auth.session", "auth.data_protection_key"], []),
        new("AuditTrail", "the append-only, hash-chained audit log", ["audit.event", "audit.chain_anchor"], []),
        new("Database", "the data source, the schemas and the migration runner", [], []),
        new("Scheduling", "Hangfire on PostgreSQL, leases, the heartbeat job, the pipeline's runs and stages, each run's footprint",
            ["ops.heartbeat", "ops.pipeline_run", "ops.pipeline_stage"], [typeof(Scheduling.Heartbeats), typeof(Scheduling.Pipeline)]),
    ];
}
