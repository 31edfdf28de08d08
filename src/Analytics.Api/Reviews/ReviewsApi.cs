using Analytics.Api.Access;
using Analytics.Api.Platform;
using Analytics.Jobs.Release;
using Analytics.Models.Access;
using Analytics.Models.Review;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Api.Reviews;

/// <summary>
/// The review screens: releases awaiting a decision with their evidence (unreviewed outputs are
/// visible here, to reviewers and auditors only), and the decisions — approve, reject, revoke,
/// exclude a territory, answer an analyst's comment. Auditors read; only reviewers decide.
/// </summary>
public static class ReviewsApi
{
    public sealed record ReleasePriorities(ReleaseSummary Release, string Period, IReadOnlyList<PriorityTerritory> Territories);
    public sealed record DecisionRequest(string? Justification, string? Acknowledgement);
    public sealed record ExclusionRequest(string? Territory, string? Reason);
    public sealed record AnswerRequest(bool Accepted, string? Reason);

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
        reviews.MapGet("/{id:long}/changes", ChangesAsync).WithName("GetReleaseChanges")
            .WithSummary("RSI prédit et rang par commune face à la publication comparée / Predicted SIR and rank per commune beside the release compared with.").AllowRoles(Readers);
        reviews.MapGet("/{id:long}/standing", StandingAsync).WithName("GetDecisionStanding")
            .WithSummary("Ce que les règles de revue refuseraient à l'appelant, avant tout texte / What the review rules would refuse the caller now, before any text.").AllowRoles(Role.Reviewer);
        reviews.MapGet("/{id:long}/fairness", FairnessSummaryAsync).WithName("GetReleaseFairnessSummary")
            .WithSummary("Verdicts d'équité par groupe et ratios avec intervalles, sans effectif / Fairness verdicts per group, ratios with intervals, no counts.").AllowRoles(Readers);
        reviews.MapGet("/{id:long}/fairness.html", FairnessHtmlAsync).WithName("GetReleaseFairnessPage")
            .WithSummary("Rapport d'équité d'une publication (lang=fr|en) / Fairness report of a release, in French or English.").AllowRoles(Readers);
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

    private static async Task<Results<Ok<List<ReleaseSummary>>, ProblemHttpResult>> ListAsync(string? state, Releases releases, CancellationToken cancellationToken)
    {
        if (state is null)
            return TypedResults.Ok(await releases.ListAsync(null, cancellationToken));
        return ReleaseStates.TryParse(state, out var known)
            ? TypedResults.Ok(await releases.ListAsync(known, cancellationToken))
            : ApiProblems.Create(StatusCodes.Status400BadRequest,
                $"État inconnu « {state} » : pending_review, approved, rejected, revoked ou superseded. / Unknown state '{state}': pending_review, approved, rejected, revoked or superseded.");
    }

    private static async Task<IResult> GetAsync(long id, HttpContext context, ReleaseFiles files, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        return await files.ReviewFileJsonAsync(id, cancellationToken) is { } json
            ? Results.Text(json, "application/json; charset=utf-8")
            : UnknownRelease(id);
    }

    private static async Task<Results<Ok<ReleasePriorities>, ProblemHttpResult>> PrioritiesAsync(long id, HttpContext context, Releases releases, ReleaseFiles files, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (await releases.FindAsync(id, cancellationToken) is not { } release)
            return UnknownRelease(id);
        var list = await files.PriorityListAsync(release.Id, cancellationToken);
        return TypedResults.Ok(new ReleasePriorities(release, list.Period, list.Territories));
    }

    private static async Task<IResult> FairnessHtmlAsync(long id, HttpContext context, ReleaseFiles files, CancellationToken cancellationToken, string lang = "fr")
    {
        context.Response.Headers.CacheControl = "no-store";
        if (lang is not ("fr" or "en"))
            return ApiProblems.UnknownLanguage(lang);
        return await files.FairnessHtmlAsync(id, lang == "en", cancellationToken) is { } html
            ? Results.Content(html, "text/html; charset=utf-8")
            : UnknownRelease(id);
    }

    private static async Task<Results<Ok<DecisionStanding>, ProblemHttpResult>> StandingAsync(long id, HttpContext context, Releases releases, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        try
        {
            return TypedResults.Ok(await releases.StandingAsync(id, AccessClaims.UserName(context.User), cancellationToken));
        }
        catch (KeyNotFoundException)
        {
            return UnknownRelease(id);
        }
    }

    private static async Task<IResult> ChangesAsync(long id, HttpContext context, ReleaseFiles files, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Text(await files.ChangesJsonAsync(id, cancellationToken), "application/json; charset=utf-8");
    }

    private static async Task<IResult> FairnessSummaryAsync(long id, HttpContext context, ReleaseFiles files, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        return await files.FairnessSummaryJsonAsync(id, cancellationToken) is { } json
            ? Results.Text(json, "application/json; charset=utf-8")
            : UnknownRelease(id);
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
            await releases.ExcludeTerritoryAsync(id, request.Territory, AccessClaims.UserName(context.User), request.Reason, cancellationToken);
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

    private static async Task<Ok<List<ReviewItem>>> ItemsAsync(string? state, ReleaseFiles files, CancellationToken cancellationToken) =>
        TypedResults.Ok(await files.ReviewItemsAsync(state, cancellationToken));

    private static async Task<Results<NoContent, ProblemHttpResult>> AnswerAsync(long id, AnswerRequest request, HttpContext context, Releases releases, CancellationToken cancellationToken)
    {
        try
        {
            await releases.AnswerAsync(id, AccessClaims.UserName(context.User), request.Accepted, request.Reason, cancellationToken);
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

    private static ProblemHttpResult UnknownRelease(long id) => ApiProblems.Create(StatusCodes.Status404NotFound, $"Publication {id} inconnue. / No release {id}.");

    private static Decision Decision(HttpContext context, DecisionRequest request) => new(AccessClaims.UserName(context.User), request.Justification, request.Acknowledgement);
}
