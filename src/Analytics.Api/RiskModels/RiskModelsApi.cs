using System.Globalization;
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

namespace Analytics.Api.RiskModels;

/// <summary>
/// What analysts and planners read of the models: only the release in force of each model (the
/// latest approved, not revoked), with where it comes from — release, model version, reviewer and
/// date — and never cached, so a revocation acts on the next request. Every read goes through the
/// one publication gate, <see cref="PublishedReleases"/>. Also: comments on a territory (review
/// items) and launching a training run.
/// </summary>
public static class RiskModelsApi
{
    public sealed record ModelSummary(string Code, string LabelFr, string LabelEn, string Condition, IReadOnlyList<string> Features, double PriorityShare, Provenance? InForce);
    public sealed record PublishedPriorityList(Provenance Release, string Period, IReadOnlyList<PriorityTerritory> Territories);
    public sealed record TerritoryExplanation(Provenance Release, string Code, string Name, IReadOnlyList<TerritoryPeriod> Periods);
    public sealed record CommentRequest(string? Territory, string? Comment);
    public sealed record RunQueued(string JobId, string Model, string Progress);

    /// <summary>
    /// A launch: Hangfire's state of its job (Enqueued, Processing, Succeeded, Failed…), its run once the job has
    /// built its matrix and started it, and why it failed (the run's own error when it has one).
    /// </summary>
    public sealed record TrainingLaunch(string JobId, string Model, string Job, TrainingRuns.Progress? Run, string? Error);

    public static IEndpointRouteBuilder MapRiskModelsApi(this IEndpointRouteBuilder app)
    {
        var models = app.MapGroup("/api/models").WithTags("Models")
            // Model outputs are never cached: a revoked release must disappear on the next request, proxies included.
            .AddEndpointFilter(async (invocation, next) =>
            {
                invocation.HttpContext.Response.Headers.CacheControl = "no-store";
                return await next(invocation);
            });
        models.MapGet("/", ListAsync).WithName("ListModels")
            .WithSummary("Les modèles et leur publication en vigueur / The models and the release in force of each.").AllowRoles(Role.PublishedReaders);
        models.MapGet("/{code}/priorities", PrioritiesAsync).WithName("GetPriorities")
            .WithSummary("Liste prioritaire publiée / The published priority list (release in force only).").AllowRoles(Role.PublishedReaders);
        models.MapGet("/{code}/priorities.csv", PrioritiesCsvAsync).WithName("ExportPriorities")
            .WithSummary("Export CSV de la liste prioritaire publiée / CSV export of the published priority list.").AllowRoles(Role.PublishedReaders);
        models.MapGet("/{code}/territories/{territory}", ExplainAsync).WithName("ExplainTerritory")
            .WithSummary("Prédictions et contributions des facteurs pour un territoire / Predictions and factor contributions for one territory.").AllowRoles(Role.PublishedReaders);
        models.MapGet("/{code}/card", CardAsync).WithName("GetModelCard")
            .WithSummary("Fiche du modèle publié / Model card of the release in force.").AllowRoles(Role.PublishedReaders);
        models.MapGet("/{code}/fairness", FairnessAsync).WithName("GetFairnessReport")
            .WithSummary("Rapport d'équité publié (JSON, sans résultat par territoire) / Published fairness report of the release in force (no territory-level data).").AllowRoles(Role.PublishedReaders);
        models.MapGet("/{code}/fairness.html", FairnessHtmlAsync).WithName("GetFairnessReportPage")
            .WithSummary("Rapport d'équité publié, page autonome (lang=fr|en) / Published fairness report of the release in force as a page, in French or English.").AllowRoles(Role.PublishedReaders);
        models.MapGet("/{code}/fairness.csv", FairnessCsvAsync).WithName("ExportFairnessReport")
            .WithSummary("Export CSV du rapport d'équité publié / CSV export of the published fairness report.").AllowRoles(Role.PublishedReaders);
        models.MapPost("/{code}/comments", CommentAsync).WithName("CommentTerritory")
            .WithSummary("Commenter un territoire : l'élément de revue doit être traité avant la prochaine publication / Comment on a territory.").AllowRoles(Role.Analyst, Role.Planner);
        models.MapPost("/{code}/runs", LaunchAsync).WithName("LaunchTraining")
            .WithSummary("Lancer un entraînement (soumis ensuite à revue) / Launch a training run (then submitted for review).").AllowRoles(Role.Steward, Role.Admin);
        models.MapGet("/{code}/runs/{job}", LaunchProgressAsync).WithName("GetTrainingLaunch")
            .WithSummary("Avancement d'un entraînement lancé : étape, issue, publication en attente / Progress of a launched training run: step, outcome, release awaiting review.")
            .AllowRoles(Role.Steward, Role.Admin);
        return app;
    }

    private static async Task<Ok<List<ModelSummary>>> ListAsync(ModelSpecifications specifications, PublishedReleases published, CancellationToken cancellationToken)
    {
        var list = new List<ModelSummary>();
        foreach (var spec in specifications.All())
            list.Add(new ModelSummary(spec.Code, spec.Label.Fr, spec.Label.En, spec.Condition, spec.Features, spec.PriorityShare, await published.InForceAsync(spec.Code, cancellationToken)));
        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<PublishedPriorityList>, ProblemHttpResult>> PrioritiesAsync(string code, PublishedReleases published, CancellationToken cancellationToken)
    {
        if (await published.InForceAsync(code, cancellationToken) is not { } release)
            return NothingPublished(code);
        var list = await published.PriorityListAsync(release, cancellationToken);
        return TypedResults.Ok(new PublishedPriorityList(release, list.Period, list.Territories));
    }

    private static async Task<IResult> PrioritiesCsvAsync(string code, HttpContext context, PublishedReleases published, AuditLog audit, CancellationToken cancellationToken)
    {
        if (await published.InForceAsync(code, cancellationToken) is not { } release)
            return NothingPublished(code);
        var list = await published.PriorityListAsync(release, cancellationToken);
        return await ReleaseCsvAsync(context, audit, release, "priorities.csv", $"priorites-{code}-{release.ReleaseId}.csv",
            ["rang", "code", "nom", "rsi_predit", "cas_attendus", "intervalle_bas", "intervalle_haut", "trop_incertaine"],
            list.Territories.Select(t => new[]
            {
                t.Rank.ToString(CultureInfo.InvariantCulture), t.Code, t.Name, t.PredictedSir.ToString("F3", CultureInfo.InvariantCulture),
                t.Predicted.ToString("F2", CultureInfo.InvariantCulture), t.IntervalLow.ToString("F0", CultureInfo.InvariantCulture), t.IntervalHigh.ToString("F0", CultureInfo.InvariantCulture),
                t.TooUncertain ? "oui" : "non",
            }), $"periode={list.Period}", cancellationToken);
    }

    private static async Task<Results<Ok<TerritoryExplanation>, ProblemHttpResult>> ExplainAsync(string code, string territory, PublishedReleases published, CancellationToken cancellationToken)
    {
        if (await published.InForceAsync(code, cancellationToken) is not { } release)
            return NothingPublished(code);
        return await published.TerritoryAsync(release, territory, cancellationToken) is { } predictions
            ? TypedResults.Ok(new TerritoryExplanation(release, territory, predictions.Name, predictions.Periods))
            : ApiProblems.Create(StatusCodes.Status404NotFound, $"Le territoire {territory} ne figure pas dans la publication en vigueur. / Territory {territory} is not in the release in force.");
    }

    private static async Task<IResult> CardAsync(string code, PublishedReleases published, CancellationToken cancellationToken)
    {
        if (await published.InForceAsync(code, cancellationToken) is not { } release)
            return NothingPublished(code);
        return await published.ModelCardJsonAsync(release, cancellationToken) is { } card
            ? Results.Text(card, "application/json; charset=utf-8")
            : NothingPublished(code);
    }

    // The fairness routes serve the report's published form only (PublishedFairness): the whole report, with its
    // residual map, is on the review routes.
    private static async Task<IResult> FairnessAsync(string code, PublishedReleases published, CancellationToken cancellationToken)
    {
        if (await published.InForceAsync(code, cancellationToken) is not { } release)
            return NothingPublished(code);
        return await published.FairnessJsonAsync(release, cancellationToken) is { } report
            ? Results.Text(report, "application/json; charset=utf-8")
            : NoPublishedForm(code);
    }

    private static async Task<IResult> FairnessHtmlAsync(string code, PublishedReleases published, CancellationToken cancellationToken, string lang = "fr")
    {
        if (lang is not ("fr" or "en"))
            return ApiProblems.UnknownLanguage(lang);
        if (await published.InForceAsync(code, cancellationToken) is not { } release)
            return NothingPublished(code);
        return await published.FairnessHtmlAsync(release, lang == "en", cancellationToken) is { } html
            ? Results.Content(html, "text/html; charset=utf-8")
            : NoPublishedForm(code);
    }

    /// <summary>The published report of the model as trained (the verdict the release carries), one row per dimension × group × metric.</summary>
    private static async Task<IResult> FairnessCsvAsync(string code, HttpContext context, PublishedReleases published, AuditLog audit, CancellationToken cancellationToken)
    {
        if (await published.InForceAsync(code, cancellationToken) is not { } release)
            return NothingPublished(code);
        if (await published.FairnessCsvAsync(release, cancellationToken) is not { } csv)
            return NoPublishedForm(code);
        await RecordExportAsync(audit, context, release, "fairness.csv", cancellationToken);
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
            var id = await releases.CommentAsync(code, request.Territory, AccessClaims.UserName(context.User), request.Comment ?? "", cancellationToken);
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
        var user = AccessClaims.UserName(context.User);
        var jobKey = Guid.NewGuid();
        var job = jobs.Enqueue<TrainingJob>(j => j.RunAsync(code, user, jobKey, CancellationToken.None));
        var progress = $"/api/models/{Uri.EscapeDataString(code)}/runs/{Uri.EscapeDataString(job)}";
        return TypedResults.Accepted(progress, new RunQueued(job, code, progress));
    }

    /// <summary>The launch's job as Hangfire holds it, and its run as the registry does: a job that failed before its run began (no features built, say) says why.</summary>
    private static async Task<Results<Ok<TrainingLaunch>, ProblemHttpResult>> LaunchProgressAsync(string code, string job, JobStorage storage, TrainingRuns runs,
        CancellationToken cancellationToken)
    {
        using var connection = storage.GetConnection();
        var data = connection.GetJobData(job);
        if (data?.Job is not { } launch || launch.Type != typeof(TrainingJob) || launch.Args[0] as string != code || launch.Args[2] is not Guid jobKey)
            return ApiProblems.Create(StatusCodes.Status404NotFound, $"Aucun entraînement {job} du modèle « {code} ». / No training launch {job} of model '{code}'.");
        var run = await runs.OfLaunchAsync(jobKey, cancellationToken);
        var error = run?.Error ?? (data.State == "Failed" && connection.GetStateData(job)?.Data is { } state && state.TryGetValue("ExceptionMessage", out var message) ? message : null);
        return TypedResults.Ok(new TrainingLaunch(job, code, data.State, run, error));
    }


    private static Task RecordExportAsync(AuditLog audit, HttpContext context, Provenance release, string what, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEntry(AccessClaims.UserName(context.User), AuditKinds.Export, $"release:{release.ReleaseId}",
            new JsonObject { ["what"] = what, ["model"] = release.Model }), cancellationToken);

    private static ProblemHttpResult NoPublishedForm(string code) => ApiProblems.Create(StatusCodes.Status404NotFound,
        $"La publication en vigueur du modèle « {code} » précède la forme publiable du rapport d'équité : entraîner et faire approuver une nouvelle version. / The release in force of model '{code}' predates the publishable form of the fairness report: train and approve a new one.");

    /// <summary>
    /// An export of a release in force: its provenance on the first line (with <paramref name="parameters"/>), then the
    /// header and rows, through the one CSV writer (a territory named "=HYPERLINK(…)" comes out as text, a line break
    /// stays in its cell); recorded in the audit log.
    /// </summary>
    internal static async Task<IResult> ReleaseCsvAsync(HttpContext context, AuditLog audit, Provenance release, string what, string fileName, string[] header,
        IEnumerable<string[]> rows, string parameters, CancellationToken cancellationToken)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        var csv = new CsvWriter(text);
        csv.Row($"# modele={release.Model}", $"publication={release.ReleaseId}", $"entrainement={release.RunId}", $"approuve_par={release.ApprovedBy}",
            string.Create(CultureInfo.InvariantCulture, $"approuve_le={release.ApprovedAt:O}"), parameters);
        csv.Row(header);
        foreach (var row in rows)
            csv.Row(row);
        await RecordExportAsync(audit, context, release, what, cancellationToken);
        return TypedResults.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", fileName);
    }

    internal static ProblemHttpResult NothingPublished(string code) => ApiProblems.Create(StatusCodes.Status404NotFound,
        $"Aucune publication approuvée en vigueur pour le modèle « {code} ». / No approved release in force for model '{code}'.");
}
