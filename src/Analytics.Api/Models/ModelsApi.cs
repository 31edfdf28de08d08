using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using System.Text;
using Analytics.Api.Access;
using Analytics.Api.Platform;
using Analytics.Jobs.AuditTrail;
using Analytics.Jobs.Exports;
using Analytics.Jobs.Release;
using Analytics.Jobs.Training;
using Analytics.Models.Access;
using Analytics.Models.AuditTrail;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Analytics.Api.Models;

/// <summary>
/// What analysts and planners read of the models: only the release in force of each model (the
/// latest approved, not revoked), with where it comes from — release, model version, reviewer and
/// date — and never cached, so a revocation acts on the next request. Also: comments on a
/// territory (review items) and launching a training run.
/// </summary>
public static class ModelsApi
{
    public sealed record Provenance(long ReleaseId, long RunId, string Model, string Champion, string CodeVersion, string DatasetVersion, string ApprovedBy, DateTimeOffset ApprovedAt, string ContentSha256);
    public sealed record ModelSummary(string Code, string LabelFr, string LabelEn, string Condition, IReadOnlyList<string> Features, double PriorityShare, Provenance? InForce);
    public sealed record PriorityTerritory(int Rank, string Code, string Name, double PredictedSir, double Predicted, double IntervalLow, double IntervalHigh);
    public sealed record PriorityList(Provenance Release, string Period, IReadOnlyList<PriorityTerritory> Territories);
    public sealed record TerritoryPeriod(string Period, double Predicted, double IntervalLow, double IntervalHigh, double PredictedSir, int? PriorityRank, IReadOnlyDictionary<string, double> Contributions);
    public sealed record TerritoryExplanation(Provenance Release, string Code, string Name, IReadOnlyList<TerritoryPeriod> Periods);
    public sealed record CommentRequest(string? Territory, string? Comment);
    public sealed record RunQueued(string JobId, string Model);

    /// <summary>Roles that read published model outputs.</summary>
    private static readonly string[] Readers = [Role.Analyst, Role.Planner, Role.Reviewer, Role.Auditor];

    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var models = app.MapGroup("/api/models").WithTags("Models");
        models.MapGet("/", ListAsync).WithName("ListModels")
            .WithSummary("Les modèles et leur publication en vigueur / The models and the release in force of each.").AllowRoles(Readers);
        models.MapGet("/{code}/priorities", PrioritiesAsync).WithName("GetPriorities")
            .WithSummary("Liste prioritaire publiée / The published priority list (release in force only).").AllowRoles(Readers);
        models.MapGet("/{code}/priorities.csv", PrioritiesCsvAsync).WithName("ExportPriorities")
            .WithSummary("Export CSV de la liste prioritaire publiée / CSV export of the published priority list.").AllowRoles(Readers);
        models.MapGet("/{code}/territories/{territory}", ExplainAsync).WithName("ExplainTerritory")
            .WithSummary("Prédictions et contributions des facteurs pour un territoire / Predictions and factor contributions for one territory.").AllowRoles(Readers);
        models.MapGet("/{code}/card", CardAsync).WithName("GetModelCard")
            .WithSummary("Fiche du modèle publié / Model card of the release in force.").AllowRoles(Readers);
        models.MapGet("/{code}/fairness", FairnessAsync).WithName("GetFairnessReport")
            .WithSummary("Rapport d'équité publié (JSON, sans résultat par territoire) / Published fairness report of the release in force (no territory-level data).").AllowRoles(Readers);
        models.MapGet("/{code}/fairness.html", FairnessHtmlAsync).WithName("GetFairnessReportPage")
            .WithSummary("Rapport d'équité publié, page autonome / Published fairness report of the release in force as a page.").AllowRoles(Readers);
        models.MapGet("/{code}/fairness.csv", FairnessCsvAsync).WithName("ExportFairnessReport")
            .WithSummary("Export CSV du rapport d'équité publié / CSV export of the published fairness report.").AllowRoles(Readers);
        models.MapPost("/{code}/comments", CommentAsync).WithName("CommentTerritory")
            .WithSummary("Commenter un territoire : l'élément de revue doit être traité avant la prochaine publication / Comment on a territory.").AllowRoles(Role.Analyst, Role.Planner);
        models.MapPost("/{code}/runs", LaunchAsync).WithName("LaunchTraining")
            .WithSummary("Lancer un entraînement (soumis ensuite à revue) / Launch a training run (then submitted for review).").AllowRoles(Role.Steward, Role.Admin);
        return app;
    }

    private static async Task<Ok<List<ModelSummary>>> ListAsync(ModelSpecifications specifications, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var list = new List<ModelSummary>();
        foreach (var spec in specifications.All())
            list.Add(new ModelSummary(spec.Code, spec.Label.Fr, spec.Label.En, spec.Condition, spec.Features, spec.PriorityShare, await InForceAsync(dataSource, spec.Code, cancellationToken)));
        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<PriorityList>, ProblemHttpResult>> PrioritiesAsync(string code, HttpContext context, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        NoStore(context);
        if (await InForceAsync(dataSource, code, cancellationToken) is not { } release)
            return NothingPublished(code);
        var (period, territories) = await PriorityTerritoriesAsync(dataSource, release.RunId, release.ReleaseId, cancellationToken);
        return TypedResults.Ok(new PriorityList(release, period, territories));
    }

    private static async Task<IResult> PrioritiesCsvAsync(string code, HttpContext context, NpgsqlDataSource dataSource, AuditLog audit, CancellationToken cancellationToken)
    {
        NoStore(context);
        if (await InForceAsync(dataSource, code, cancellationToken) is not { } release)
            return NothingPublished(code);
        var (period, territories) = await PriorityTerritoriesAsync(dataSource, release.RunId, release.ReleaseId, cancellationToken);
        // Through the one CSV writer: a territory named "=HYPERLINK(…)" comes out as text, a line break stays in its cell.
        var text = new StringWriter(CultureInfo.InvariantCulture);
        var csv = new CsvWriter(text);
        csv.Row($"# modele={release.Model}", $"publication={release.ReleaseId}", $"entrainement={release.RunId}", $"approuve_par={release.ApprovedBy}",
            string.Create(CultureInfo.InvariantCulture, $"approuve_le={release.ApprovedAt:O}"), $"periode={period}");
        csv.Row("rang", "code", "nom", "rsi_predit", "cas_attendus", "intervalle_bas", "intervalle_haut");
        foreach (var t in territories)
            csv.Row(t.Rank.ToString(CultureInfo.InvariantCulture), t.Code, t.Name, t.PredictedSir.ToString("F3", CultureInfo.InvariantCulture),
                t.Predicted.ToString("F2", CultureInfo.InvariantCulture), t.IntervalLow.ToString("F0", CultureInfo.InvariantCulture), t.IntervalHigh.ToString("F0", CultureInfo.InvariantCulture));
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
            await audit.AppendAsync(connection, null, new AuditEntry(UserName(context), AuditKinds.Export, $"release:{release.ReleaseId}",
            new JsonObject { ["what"] = "priorities.csv", ["model"] = code }), cancellationToken);
        return TypedResults.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", $"priorites-{code}-{release.ReleaseId}.csv");
    }

    private static async Task<Results<Ok<TerritoryExplanation>, ProblemHttpResult>> ExplainAsync(string code, string territory, HttpContext context, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        NoStore(context);
        if (await InForceAsync(dataSource, code, cancellationToken) is not { } release)
            return NothingPublished(code);
        await using var command = dataSource.CreateCommand("""
            SELECT t.name, p.period, p.predicted, p.interval_low, p.interval_high, p.predicted_sir, p.priority_rank, p.contributions::text
            FROM ml.prediction p JOIN geo.territory t ON t.id = p.territory_id
            WHERE p.run_id = $1 AND t.code = $2
              AND NOT EXISTS (SELECT FROM review.territory_exclusion x WHERE x.release_id = $3 AND x.territory_id = p.territory_id)
            ORDER BY p.period
            """);
        command.Parameters.Add(new() { Value = release.RunId });
        command.Parameters.Add(new() { Value = territory });
        command.Parameters.Add(new() { Value = release.ReleaseId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        string? name = null;
        var periods = new List<TerritoryPeriod>();
        while (await reader.ReadAsync(cancellationToken))
        {
            name = reader.GetString(0);
            periods.Add(new TerritoryPeriod(reader.GetString(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5),
                reader.IsDBNull(6) ? null : reader.GetInt32(6), System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(7))!));
        }
        return name is null
            ? ApiProblems.Create(StatusCodes.Status404NotFound, $"Le territoire {territory} ne figure pas dans la publication en vigueur. / Territory {territory} is not in the release in force.")
            : TypedResults.Ok(new TerritoryExplanation(release, territory, name, periods));
    }

    private static async Task<IResult> CardAsync(string code, HttpContext context, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        NoStore(context);
        if (await InForceAsync(dataSource, code, cancellationToken) is not { } release)
            return NothingPublished(code);
        var card = await TextAsync(dataSource, "SELECT jsonb_build_object('release', $2::jsonb, 'card', model_card, 'coefficients', coefficients, 'metrics', metrics, 'importance', importance, 'residualMoran', residual_moran)::text FROM ml.model_run WHERE id = $1",
            release, cancellationToken);
        return Results.Text(card!, "application/json; charset=utf-8");
    }

    // The fairness routes serve the report's published form only (PublishedFairness): the whole report, with its
    // residual map, is on the review routes.
    private static async Task<IResult> FairnessAsync(string code, HttpContext context, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        NoStore(context);
        if (await InForceAsync(dataSource, code, cancellationToken) is not { } release)
            return NothingPublished(code);
        var report = await TextAsync(dataSource, """
            SELECT CASE WHEN bool_and(published_report IS NOT NULL) THEN
                jsonb_build_object('release', $2::jsonb, 'reports', jsonb_object_agg(variant, jsonb_build_object('verdict', verdict, 'report', published_report)))::text END
            FROM ml.fairness_report WHERE run_id = $1
            """, release, cancellationToken);
        return report is null ? NoPublishedForm(code) : Results.Text(report, "application/json; charset=utf-8");
    }

    private static async Task<IResult> FairnessHtmlAsync(string code, HttpContext context, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        NoStore(context);
        if (await InForceAsync(dataSource, code, cancellationToken) is not { } release)
            return NothingPublished(code);
        var html = await TextAsync(dataSource, "SELECT published_html FROM ml.fairness_report WHERE run_id = $1 AND variant = 'reweighted'", release, cancellationToken);
        return html is null ? NoPublishedForm(code) : Results.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>The published report of the model as trained (the verdict the release carries), one row per dimension × group × metric.</summary>
    private static async Task<IResult> FairnessCsvAsync(string code, HttpContext context, NpgsqlDataSource dataSource, AuditLog audit, CancellationToken cancellationToken)
    {
        NoStore(context);
        if (await InForceAsync(dataSource, code, cancellationToken) is not { } release)
            return NothingPublished(code);
        var csv = await TextAsync(dataSource, "SELECT published_csv FROM ml.fairness_report WHERE run_id = $1 AND variant = 'unmitigated'", release, cancellationToken);
        if (csv is null)
            return NoPublishedForm(code);
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
            await audit.AppendAsync(connection, null, new AuditEntry(UserName(context), AuditKinds.Export, $"release:{release.ReleaseId}",
                new JsonObject { ["what"] = "fairness.csv", ["model"] = code }), cancellationToken);
        return TypedResults.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"equite-{code}-{release.ReleaseId}.csv");
    }

    private static async Task<Results<Created, ProblemHttpResult>> CommentAsync(string code, CommentRequest request, HttpContext context, Releases releases, ModelSpecifications specifications, CancellationToken cancellationToken)
    {
        if (specifications.Find(code) is null)
            return ApiProblems.Create(StatusCodes.Status404NotFound, $"Aucun modèle « {code} ». / No model '{code}'.");
        if (string.IsNullOrWhiteSpace(request.Territory))
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Indiquez le territoire (champ territory). / Name the territory (field territory).");
        try
        {
            var id = await releases.CommentAsync(code, request.Territory, UserName(context), request.Comment ?? "", cancellationToken);
            return TypedResults.Created($"/api/reviews/items/{id}");
        }
        catch (ReviewRefusedException e)
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, e.Message);
        }
        catch (KeyNotFoundException)
        {
            return ApiProblems.Create(StatusCodes.Status404NotFound, $"Territoire inconnu : {request.Territory}. / Unknown territory: {request.Territory}.");
        }
    }

    private static Results<Accepted<RunQueued>, ProblemHttpResult> LaunchAsync(string code, HttpContext context, ModelSpecifications specifications, IBackgroundJobClient jobs)
    {
        if (specifications.Find(code) is null)
            return ApiProblems.Create(StatusCodes.Status404NotFound, $"Aucun modèle « {code} ». / No model '{code}'.");
        var user = UserName(context);
        var jobKey = Guid.NewGuid();
        var job = jobs.Enqueue<TrainingJob>(j => j.RunAsync(code, user, jobKey, CancellationToken.None));
        return TypedResults.Accepted((string?)null, new RunQueued(job, code));
    }

    /// <summary>The publication gate: the release of <paramref name="code"/> in force, or null.</summary>
    public static async Task<Provenance?> InForceAsync(NpgsqlDataSource dataSource, string code, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT r.id, r.run_id, r.spec_code, m.champion, m.code_version, m.dataset_version, r.decided_by, r.decided_at, r.content_sha256
            FROM review.release r JOIN ml.model_run m ON m.id = r.run_id
            WHERE r.spec_code = $1 AND r.state = 'approved'
            """);
        command.Parameters.Add(new() { Value = code });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Provenance(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7), reader.GetString(8))
            : null;
    }

    /// <summary>The priority list of a run's latest period, without the territories its reviewers excluded.</summary>
    public static async Task<(string Period, List<PriorityTerritory> Territories)> PriorityTerritoriesAsync(NpgsqlDataSource dataSource, long runId, long releaseId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT p.period, p.priority_rank, t.code, t.name, p.predicted_sir, p.predicted, p.interval_low, p.interval_high
            FROM ml.prediction p JOIN geo.territory t ON t.id = p.territory_id
            WHERE p.run_id = $1 AND p.priority_rank IS NOT NULL
              AND NOT EXISTS (SELECT FROM review.territory_exclusion x WHERE x.release_id = $2 AND x.territory_id = p.territory_id)
            ORDER BY p.priority_rank
            """);
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = releaseId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var period = "";
        var territories = new List<PriorityTerritory>();
        while (await reader.ReadAsync(cancellationToken))
        {
            period = reader.GetString(0);
            territories.Add(new PriorityTerritory(reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetDouble(4), reader.GetDouble(5), reader.GetDouble(6), reader.GetDouble(7)));
        }
        return (period, territories);
    }

    private static async Task<string?> TextAsync(NpgsqlDataSource dataSource, string sql, Provenance release, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new() { Value = release.RunId });
        command.Parameters.Add(new() { Value = System.Text.Json.JsonSerializer.Serialize(release, System.Text.Json.JsonSerializerOptions.Web), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Jsonb });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>Model outputs are never cached: a revoked release must disappear on the next request, proxies included.</summary>
    private static void NoStore(HttpContext context) => context.Response.Headers.CacheControl = "no-store";

    private static ProblemHttpResult NoPublishedForm(string code) => ApiProblems.Create(StatusCodes.Status404NotFound,
        $"La publication en vigueur du modèle « {code} » précède la forme publiable du rapport d'équité : entraîner et faire approuver une nouvelle version. / The release in force of model '{code}' predates the publishable form of the fairness report: train and approve a new one.");

    private static ProblemHttpResult NothingPublished(string code) => ApiProblems.Create(StatusCodes.Status404NotFound,
        $"Aucune publication approuvée en vigueur pour le modèle « {code} ». / No approved release in force for model '{code}'.");

    public static string UserName(HttpContext context) => context.User.FindFirstValue(ClaimTypes.Name) ?? context.User.Identity?.Name ?? "unknown";
}
