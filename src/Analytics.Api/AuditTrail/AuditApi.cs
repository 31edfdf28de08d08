using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Analytics.Api.Access;
using Analytics.Jobs.AuditTrail;
using Analytics.Jobs.Exports;
using Analytics.Models.Access;
using Analytics.Models.AuditTrail;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Analytics.Api.AuditTrail;

/// <summary>The tamper-evident audit log, for auditors and administrators: reading its events and verifying its chain.</summary>
public static class AuditApi
{
    public const int MaxPageSize = 500;

    public sealed record AuditEventView(long Sequence, DateTimeOffset OccurredAt, string Actor, string Kind, string Subject, JsonElement Details, string PreviousHash, string Hash);

    /// <summary>A page of events, newest first; <paramref name="NextBefore"/> asks for the page after it.</summary>
    public sealed record AuditEventPage(IReadOnlyList<AuditEventView> Events, long? NextBefore);

    /// <summary>Filters, all optional: kind, actor and subject (the object acted on, e.g. release:12) exactly, time from (inclusive) to (exclusive), events before a sequence number.</summary>
    public sealed record EventQuery(string? Kind, string? Actor, string? Subject, DateTimeOffset? From, DateTimeOffset? To, long? Before, int? Limit);

    /// <summary>The filters of an export: the same as a page's, without paging.</summary>
    public sealed record ExportQuery(string? Kind, string? Actor, string? Subject, DateTimeOffset? From, DateTimeOffset? To);

    /// <summary>Where the chain first fails: <paramref name="Reason"/> is one of HashMismatch, SequenceGap, SequenceRepeated, PreviousHashMismatch, CheckpointMismatch, Truncated.</summary>
    public sealed record BrokenLink(long Sequence, string Reason, string Message, string Detail);

    /// <summary><paramref name="Outcome"/> is one of None, Matched, NotAuthentic, PredatesRetainedEvents, Contradicted, NotReached.</summary>
    public sealed record CheckpointReport(string Outcome, long? Sequence, DateTimeOffset? CreatedAt, string? File);

    public sealed record VerificationReport(bool Intact, string Message, long EventsChecked, long FirstSequence, long LastSequence, string Head,
        BrokenLink? FirstBrokenLink, CheckpointReport Checkpoint);

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/audit").WithTags("Audit").AllowRoles(Role.Auditor, Role.Admin);
        audit.MapGet("/events", ListEventsAsync).WithName("ListAuditEvents")
            .WithSummary("Audit events, newest first, filtered by kind, actor, subject and time; page back with 'before' (journal d'audit).");
        audit.MapGet("/events.csv", ExportEventsAsync).WithName("ExportAuditEvents")
            .WithSummary("Every event matching the filters as CSV, newest first; the export is itself recorded in the log (export du journal).");
        audit.MapGet("/verify", VerifyAsync).WithName("VerifyAuditLog")
            .WithSummary("Walk the whole hash chain, against the latest signed checkpoint when one is kept, and report the first broken link (vérification d'intégrité).");
        return app;
    }

    private static async Task<Results<Ok<AuditEventPage>, ProblemHttpResult>> ListEventsAsync([AsParameters] EventQuery query, AuditLog audit, CancellationToken ct)
    {
        var limit = query.Limit ?? 100;
        if (limit is < 1 or > MaxPageSize)
            return Problem(StatusCodes.Status400BadRequest, $"« limit » doit être entre 1 et {MaxPageSize}. / 'limit' must be between 1 and {MaxPageSize}.");
        if (Refusal(query.Kind, query.From, query.To) is { } refusal)
            return refusal;
        var events = await audit.ListAsync(new AuditEventFilter(query.Kind, query.Actor, query.From, query.To, query.Before, limit, query.Subject), ct);
        var views = events.Select(View).ToList();
        return TypedResults.Ok(new AuditEventPage(views, views.Count == limit ? views[^1].Sequence : null));
    }

    /// <summary>
    /// The events as CSV (';', provenance on the first line, header on the second), read page by page so the log's size
    /// does not decide the memory. Recorded before it is written: the log says who took a copy of what, even of itself.
    /// </summary>
    private static async Task<IResult> ExportEventsAsync([AsParameters] ExportQuery query, HttpContext context, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        if (Refusal(query.Kind, query.From, query.To) is { } refusal)
            return refusal;
        var actor = AccessClaims.UserName(context.User);
        var filters = new JsonObject { ["kind"] = query.Kind, ["actor"] = query.Actor, ["subject"] = query.Subject, ["from"] = query.From, ["to"] = query.To };
        var recorded = await audit.AppendAsync(new AuditEntry(actor, AuditKinds.Export, "audit:events", new JsonObject { ["what"] = "events.csv", ["filters"] = filters }), ct);
        var text = new StringWriter(CultureInfo.InvariantCulture);
        var csv = new CsvWriter(text);
        csv.Row("# journal_audit", $"exporte_par={actor}", string.Create(CultureInfo.InvariantCulture, $"exporte_le={clock.GetUtcNow():O}"),
            $"jusqu_a_evenement={recorded.Sequence}", $"filtres={filters.ToJsonString()}");
        csv.Row("sequence", "horodatage", "acteur", "type", "objet", "details", "empreinte_precedente", "empreinte");
        long? before = recorded.Sequence + 1;
        while (before is not null)
        {
            var page = await audit.ListAsync(new AuditEventFilter(query.Kind, query.Actor, query.From, query.To, before, MaxPageSize, query.Subject), ct);
            foreach (var e in page.Select(View))
                csv.Row(e.Sequence.ToString(CultureInfo.InvariantCulture), e.OccurredAt.ToString("O", CultureInfo.InvariantCulture), e.Actor, e.Kind, e.Subject,
                    e.Details.GetRawText(), e.PreviousHash, e.Hash);
            before = page.Count == MaxPageSize ? page[^1].Sequence : null;
        }
        return TypedResults.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", $"journal-audit-{recorded.Sequence}.csv");
    }

    private static ProblemHttpResult? Refusal(string? kind, DateTimeOffset? from, DateTimeOffset? to)
    {
        if (kind is not null && !AuditKinds.IsWellFormed(kind))
            return Problem(StatusCodes.Status400BadRequest, $"« {kind} » n'est pas un type d'événement (ex. review.approve). / '{kind}' is not an event kind (e.g. review.approve).");
        if (from is { } f && to is { } t && f >= t)
            return Problem(StatusCodes.Status400BadRequest, "« from » doit précéder « to ». / 'from' must be before 'to'.");
        return null;
    }

    private static AuditEventView View(AuditEvent e) =>
        new(e.Sequence, e.OccurredAt, e.Actor, e.Kind, e.Subject, e.Details, e.PreviousHash.ToString(), e.Hash.ToString());

    private static async Task<Results<Ok<VerificationReport>, ProblemHttpResult>> VerifyAsync(AuditLog audit, IOptions<AuditOptions> options, CancellationToken ct)
    {
        try
        {
            var checkpoint = string.IsNullOrWhiteSpace(options.Value.CheckpointFolder) ? null : new AuditCheckpointFolder(options.Value.CheckpointFolder).Latest();
            var result = await audit.VerifyAsync(checkpoint?.Checkpoint, ct);
            return TypedResults.Ok(Report(result, checkpoint));
        }
        catch (AuditTrailException e)
        {
            // A damaged or unreadable checkpoint must not be silently skipped: verification is impossible until it is looked at.
            return Problem(StatusCodes.Status503ServiceUnavailable, $"Vérification impossible, voir le détail. / Verification impossible: {e.Message}");
        }
    }

    private static VerificationReport Report(AuditVerification result, (SignedCheckpoint Checkpoint, string File)? checkpoint)
    {
        var broken = result.FirstBreak is { } b
            ? new BrokenLink(b.Sequence, b.Kind.ToString(), $"Chaîne rompue à l'événement {b.Sequence} : {Describe(b.Kind).French}. / Chain broken at event {b.Sequence}: {Describe(b.Kind).English}.", b.Detail)
            : null;
        var message = broken?.Message ?? (result.Checkpoint == CheckpointOutcome.NotAuthentic
            ? "Le point de contrôle n'est pas signé par la clé configurée : il ne prouve rien. / The checkpoint is not signed with the configured key: it proves nothing."
            : $"Journal intact : {result.EventsChecked} événements vérifiés. / Log intact: {result.EventsChecked} events verified.");
        return new VerificationReport(result.IsIntact, message, result.EventsChecked, result.FirstSequence, result.LastSequence, result.Head.ToString(), broken,
            new CheckpointReport(result.Checkpoint.ToString(), result.CheckpointSequence, checkpoint?.Checkpoint.Checkpoint.CreatedAt,
                checkpoint is { } used ? Path.GetFileName(used.File) : null));
    }

    private static (string French, string English) Describe(AuditBreakKind kind) => kind switch
    {
        AuditBreakKind.HashMismatch => ("contenu modifié, l'empreinte ne correspond plus", "edited, the hash no longer matches"),
        AuditBreakKind.SequenceGap => ("événement supprimé, numéro manquant", "deleted, a sequence number is missing"),
        AuditBreakKind.SequenceRepeated => ("numéro répété ou désordonné", "sequence number repeated or out of order"),
        AuditBreakKind.PreviousHashMismatch => ("événement inséré, permuté ou réordonné, le lien avec le précédent est rompu", "inserted, swapped or reordered, the link to the previous event is broken"),
        AuditBreakKind.CheckpointMismatch => ("journal réécrit, différent du point de contrôle signé", "rewritten, differs from the signed checkpoint"),
        AuditBreakKind.Truncated => ("journal tronqué, des événements couverts par le point de contrôle manquent", "truncated, events covered by the checkpoint are missing"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static ProblemHttpResult Problem(int status, string title) => TypedResults.Problem(title: title, statusCode: status);
}
