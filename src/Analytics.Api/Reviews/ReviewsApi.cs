using Analytics.Api.Access;
using Analytics.Api.Models;
using Analytics.Api.Platform;
using Analytics.Jobs.Release;
using Analytics.Models.Access;
using Analytics.Models.Review;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Analytics.Api.Reviews;

/// <summary>
/// The review screens: releases awaiting a decision with their evidence (unreviewed outputs are
/// visible here, to reviewers and auditors only), and the decisions — approve, reject, revoke,
/// exclude a territory, answer an analyst's comment. Auditors read; only reviewers decide.
/// </summary>
public static class ReviewsApi
{
    public sealed record ReleasePriorities(ReleaseSummary Release, string Period, IReadOnlyList<ModelsApi.PriorityTerritory> Territories);
    public sealed record DecisionRequest(string? Justification, string? Acknowledgement);
    public sealed record ExclusionRequest(string? Territory, string? Reason);
    public sealed record AnswerRequest(bool Accepted, string? Reason);
    public sealed record ReviewItem(long Id, string Model, string Territory, string Author, string Comment, DateTimeOffset CreatedAt, string State,
        string? Answer, string? AnsweredBy, DateTimeOffset? AnsweredAt);

    private static readonly string[] Readers = [Role.Reviewer, Role.Auditor];

    public static IEndpointRouteBuilder MapReviewsApi(this IEndpointRouteBuilder app)
    {
        var reviews = app.MapGroup("/api/reviews").WithTags("Reviews");
        reviews.MapGet("/", ListAsync).WithName("ListReleases")
            .WithSummary("Publications, les plus récentes d'abord (filtre state) / Releases, newest first (state filter).").AllowRoles(Readers);
        reviews.MapGet("/{id:long}", GetAsync).WithName("GetRelease")
            .WithSummary("Dossier de revue : publication, qualité des données, écarts avec la publication en vigueur, fiche du modèle / Review file of a release.").AllowRoles(Readers);
        reviews.MapGet("/{id:long}/priorities", PrioritiesAsync).WithName("GetReleasePriorities")
            .WithSummary("Liste prioritaire d'une publication, même non approuvée / Priority list of a release, reviewed or not.").AllowRoles(Readers);
        reviews.MapGet("/{id:long}/fairness.html", FairnessHtmlAsync).WithName("GetReleaseFairnessPage")
            .WithSummary("Rapport d'équité d'une publication / Fairness report of a release.").AllowRoles(Readers);
        reviews.MapPost("/{id:long}/approve", (long id, DecisionRequest request, HttpContext context, Releases releases, CancellationToken ct) =>
                DecideAsync(() => releases.ApproveAsync(id, Decision(context, request), ct)))
            .WithName("ApproveRelease").WithSummary("Approuver (justification ; reconnaissance si l'audit d'équité échoue) / Approve.").AllowRoles(Role.Reviewer);
        reviews.MapPost("/{id:long}/reject", (long id, DecisionRequest request, HttpContext context, Releases releases, CancellationToken ct) =>
                DecideAsync(() => releases.RejectAsync(id, Decision(context, request), ct)))
            .WithName("RejectRelease").WithSummary("Rejeter avec un motif / Reject with a reason.").AllowRoles(Role.Reviewer);
        reviews.MapPost("/{id:long}/revoke", (long id, DecisionRequest request, HttpContext context, Releases releases, CancellationToken ct) =>
                DecideAsync(() => releases.RevokeAsync(id, Decision(context, request), ct)))
            .WithName("RevokeRelease").WithSummary("Révoquer la publication en vigueur, effet immédiat / Revoke the release in force, effective at once.").AllowRoles(Role.Reviewer);
        reviews.MapPost("/{id:long}/exclusions", ExcludeAsync).WithName("ExcludeTerritory")
            .WithSummary("Exclure un territoire de la publication, avec motif / Keep a territory out of the release, with a reason.").AllowRoles(Role.Reviewer);
        reviews.MapGet("/items", ItemsAsync).WithName("ListReviewItems")
            .WithSummary("Commentaires d'analystes à traiter / Analyst comments to answer.").AllowRoles(Readers);
        reviews.MapPost("/items/{id:long}/answer", AnswerAsync).WithName("AnswerReviewItem")
            .WithSummary("Accepter ou refuser (avec motif) un commentaire / Accept, or decline with a reason, a comment.").AllowRoles(Role.Reviewer);
        return app;
    }

    private static async Task<Ok<List<ReleaseSummary>>> ListAsync(string? state, Releases releases, CancellationToken cancellationToken) =>
        TypedResults.Ok(await releases.ListAsync(state, cancellationToken));

    private static async Task<IResult> GetAsync(long id, HttpContext context, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        await using var command = dataSource.CreateCommand("""
            SELECT jsonb_build_object(
                'id', r.id, 'runId', r.run_id, 'model', r.spec_code, 'state', r.state, 'createdAt', r.created_at, 'contentSha256', r.content_sha256,
                'launchedBy', m.launched_by, 'decidedBy', r.decided_by, 'decidedAt', r.decided_at, 'justification', r.justification, 'acknowledgement', r.acknowledgement,
                'revokedBy', r.revoked_by, 'revokedAt', r.revoked_at, 'revokeReason', r.revoke_reason,
                'fairnessVerdict', r.fairness_verdict, 'fairnessAfterMitigation', (SELECT verdict FROM ml.fairness_report WHERE run_id = r.run_id AND variant = 'reweighted'),
                'dataQuality', r.data_quality, 'diff', r.diff,
                'champion', m.champion, 'championRule', m.champion_rule, 'metrics', m.metrics, 'coefficients', m.coefficients, 'importance', m.importance,
                'residualMoran', m.residual_moran, 'checks', m.checks, 'modelCard', m.model_card, 'codeVersion', m.code_version, 'datasetVersion', m.dataset_version,
                'exclusions', coalesce((SELECT jsonb_agg(jsonb_build_object('territory', t.code, 'reason', x.reason, 'by', x.excluded_by, 'at', x.excluded_at))
                    FROM review.territory_exclusion x JOIN geo.territory t ON t.id = x.territory_id WHERE x.release_id = r.id), '[]'),
                'openReviewItems', (SELECT count(*) FROM review.item i WHERE i.spec_code = r.spec_code AND i.state = 'open'))::text
            FROM review.release r JOIN ml.model_run m ON m.id = r.run_id WHERE r.id = $1
            """);
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteScalarAsync(cancellationToken) is string json
            ? Results.Text(json, "application/json; charset=utf-8")
            : ApiProblems.Create(StatusCodes.Status404NotFound, $"Publication {id} inconnue. / No release {id}.");
    }

    private static async Task<Results<Ok<ReleasePriorities>, ProblemHttpResult>> PrioritiesAsync(long id, HttpContext context, NpgsqlDataSource dataSource, Releases releases, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (await releases.FindAsync(id, cancellationToken) is not { } release)
            return ApiProblems.Create(StatusCodes.Status404NotFound, $"Publication {id} inconnue. / No release {id}.");
        var (period, territories) = await ModelsApi.PriorityTerritoriesAsync(dataSource, release.RunId, release.Id, cancellationToken);
        return TypedResults.Ok(new ReleasePriorities(release, period, territories));
    }

    private static async Task<IResult> FairnessHtmlAsync(long id, HttpContext context, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        await using var command = dataSource.CreateCommand("SELECT f.html FROM review.release r JOIN ml.fairness_report f ON f.run_id = r.run_id AND f.variant = 'reweighted' WHERE r.id = $1");
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteScalarAsync(cancellationToken) is string html
            ? Results.Content(html, "text/html; charset=utf-8")
            : ApiProblems.Create(StatusCodes.Status404NotFound, $"Publication {id} inconnue. / No release {id}.");
    }

    private static async Task<Results<Ok<ReleaseSummary>, ProblemHttpResult>> DecideAsync(Func<Task<ReleaseSummary>> decide)
    {
        try
        {
            return TypedResults.Ok(await decide());
        }
        catch (ReviewRefusedException e)
        {
            return TypedResults.Problem(title: "Décision refusée / Decision refused", detail: e.Message, statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["refusals"] = e.Refusals });
        }
        catch (KeyNotFoundException e)
        {
            return ApiProblems.Create(StatusCodes.Status404NotFound, e.Message);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ExcludeAsync(long id, ExclusionRequest request, HttpContext context, Releases releases, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Territory))
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Indiquez le territoire (champ territory). / Name the territory (field territory).");
        try
        {
            await releases.ExcludeTerritoryAsync(id, request.Territory, ModelsApi.UserName(context), request.Reason, cancellationToken);
            return TypedResults.NoContent();
        }
        catch (ReviewRefusedException e)
        {
            return TypedResults.Problem(title: "Exclusion refusée / Exclusion refused", detail: e.Message, statusCode: StatusCodes.Status409Conflict);
        }
        catch (KeyNotFoundException e)
        {
            return ApiProblems.Create(StatusCodes.Status404NotFound, e.Message);
        }
    }

    private static async Task<Ok<List<ReviewItem>>> ItemsAsync(string? state, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT i.id, i.spec_code, t.code, i.author, i.comment, i.created_at, i.state, i.answer, i.answered_by, i.answered_at
            FROM review.item i JOIN geo.territory t ON t.id = i.territory_id
            WHERE ($1::text IS NULL OR i.state = $1) ORDER BY i.id
            """);
        command.Parameters.Add(new() { Value = (object?)state ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<ReviewItem>();
        while (await reader.ReadAsync(cancellationToken))
            items.Add(new ReviewItem(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5),
                reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9)));
        return TypedResults.Ok(items);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> AnswerAsync(long id, AnswerRequest request, HttpContext context, Releases releases, CancellationToken cancellationToken)
    {
        try
        {
            await releases.AnswerAsync(id, ModelsApi.UserName(context), request.Accepted, request.Reason, cancellationToken);
            return TypedResults.NoContent();
        }
        catch (ReviewRefusedException e)
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, e.Message);
        }
        catch (KeyNotFoundException e)
        {
            return ApiProblems.Create(StatusCodes.Status404NotFound, e.Message);
        }
    }

    private static Decision Decision(HttpContext context, DecisionRequest request) => new(ModelsApi.UserName(context), request.Justification, request.Acknowledgement);
}
