using System.Text.Json.Nodes;
using System.Text.Json;
using Analytics.Jobs.Database;
using Analytics.Models.AuditTrail;
using Analytics.Models.Fairness;
using Analytics.Models.Review;
using Analytics.Models.Text;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Release;

/// <summary>A release as the review screens and the publication gate see it.</summary>
public sealed record ReleaseSummary(
    long Id, long RunId, string SpecCode, ReleaseState State, DateTimeOffset CreatedAt, string ContentSha256, Verdict FairnessVerdict,
    string LaunchedBy, string? DecidedBy, DateTimeOffset? DecidedAt, string? Justification, string? Acknowledgement,
    string? RevokedBy, DateTimeOffset? RevokedAt, string? RevokeReason);

/// <summary>
/// The refusals each decision would meet now, texts not yet written (<see cref="Releases.StandingAsync"/>), and the
/// shortest text the rules accept.
/// </summary>
public sealed record DecisionStanding(IReadOnlyList<Refusal> Approve, IReadOnlyList<Refusal> Reject, IReadOnlyList<Refusal> Revoke, int MinimumTextLength);

/// <summary>A decision refused by the review rules: every reason, in French and English.</summary>
public sealed class ReviewRefusedException(IReadOnlyList<Refusal> refusals)
    : Exception(string.Join(" ", refusals.Select(r => r.ToString())))
{
    public IReadOnlyList<Refusal> Refusals { get; } = refusals;
}

/// <summary>
/// The Release stage: turns a training run into a release awaiting review, records reviewers'
/// decisions under <see cref="ReviewRules"/>, and answers the publication gate's one question —
/// which release of a model is in force. Each decision and the audit event that records it are
/// written in one transaction, under a row lock so two reviewers cannot decide at once.
/// </summary>
public sealed class Releases(NpgsqlDataSource dataSource, TimeProvider clock, AuditTrail.AuditLog audit)
{
    private const string SummaryColumns = """
        r.id, r.run_id, r.spec_code, r.state, r.created_at, r.content_sha256, r.fairness_verdict, m.launched_by,
        r.decided_by, r.decided_at, r.justification, r.acknowledgement, r.revoked_by, r.revoked_at, r.revoke_reason
        """;

    /// <summary>
    /// Bundles a finished run into a release pending review: data-quality report (rows left out of
    /// the matrix, suppressed counts, quarantined rows of the source batches, coverage of the
    /// exposures) and the diff against the release in force (territories entering and leaving the
    /// priority list, largest changes of predicted SIR).
    /// </summary>
    public async Task<long> CreateAsync(long runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        string spec, verdict, hash, launchedBy;
        await using (var command = new NpgsqlCommand("""
            SELECT m.spec_code, f.verdict, m.predictions_sha256, m.launched_by FROM ml.model_run m
            JOIN ml.fairness_report f ON f.run_id = m.id AND f.variant = 'unmitigated'
            WHERE m.id = $1 AND m.status = 'succeeded'
            """, connection, transaction))
        {
            command.Parameters.Add(new() { Value = runId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
                throw new InvalidOperationException($"run {runId} has not succeeded or has no fairness report: it cannot become a release");
            (spec, verdict, hash, launchedBy) = (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
        }
        var quality = await JsonAsync(connection, transaction, StageSql.Load("Release/Sql/data_quality.sql"), runId, cancellationToken);
        var diff = await JsonAsync(connection, transaction, StageSql.Load("Release/Sql/release_diff.sql"), runId, cancellationToken);
        long id;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO review.release (run_id, spec_code, state, created_at, content_sha256, data_quality, diff, fairness_verdict)
            VALUES ($1, $2, 'pending_review', $3, $4, $5, $6, $7) RETURNING id
            """, connection, transaction))
        {
            insert.Parameters.Add(new() { Value = runId });
            insert.Parameters.Add(new() { Value = spec });
            insert.Parameters.Add(new() { Value = clock.GetUtcNow() });
            insert.Parameters.Add(new() { Value = hash });
            insert.Parameters.Add(new() { Value = quality, NpgsqlDbType = NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new() { Value = diff, NpgsqlDbType = NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new() { Value = verdict });
            id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }
        await audit.AppendAsync(connection, transaction, new AuditEntry(launchedBy, AuditKinds.ReleaseCreated, $"release:{id}",
            new JsonObject { ["run"] = runId, ["model"] = spec, ["fairness"] = verdict, ["contentSha256"] = hash }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    public Task<ReleaseSummary> ApproveAsync(long releaseId, Decision decision, CancellationToken cancellationToken = default) =>
        DecideAsync(releaseId, decision, AuditKinds.ReviewApprove, ReviewRules.CheckApproval,
        [
            "UPDATE review.release SET state = 'superseded' WHERE spec_code = (SELECT spec_code FROM review.release WHERE id = $1) AND state = 'approved'",
            "UPDATE review.release SET state = 'approved', decided_by = $2, decided_at = $3, justification = $4, acknowledgement = $5 WHERE id = $1",
            // The answered comments are settled by this release.
            "UPDATE review.item SET release_id = $1 WHERE spec_code = (SELECT spec_code FROM review.release WHERE id = $1) AND release_id IS NULL AND state <> 'open'",
        ], cancellationToken);

    public Task<ReleaseSummary> RejectAsync(long releaseId, Decision decision, CancellationToken cancellationToken = default) =>
        DecideAsync(releaseId, decision, AuditKinds.ReviewReject, ReviewRules.CheckRejection,
            ["UPDATE review.release SET state = 'rejected', decided_by = $2, decided_at = $3, justification = $4, acknowledgement = $5 WHERE id = $1"], cancellationToken);

    /// <summary>Withdraws the release in force; the gate stops serving it on the next request.</summary>
    public Task<ReleaseSummary> RevokeAsync(long releaseId, Decision decision, CancellationToken cancellationToken = default) =>
        DecideAsync(releaseId, decision, AuditKinds.ReviewRevoke, ReviewRules.CheckRevocation,
            ["UPDATE review.release SET state = 'revoked', revoked_by = $2, revoked_at = $3, revoke_reason = $4 WHERE id = $1"], cancellationToken);

    /// <summary>
    /// What the review rules would refuse <paramref name="reviewer"/> now, before any text is written: the review
    /// screen disables a button on the refusals no text can lift (four eyes, open comments, state) and names the
    /// texts the others ask for. The decision itself checks again.
    /// </summary>
    public async Task<DecisionStanding> StandingAsync(long releaseId, string reviewer, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var facts = await FactsAsync(connection, transaction, releaseId, cancellationToken);
        var untold = new Decision(reviewer, null);
        return new DecisionStanding(ReviewRules.CheckApproval(facts, untold), ReviewRules.CheckRejection(facts, untold), ReviewRules.CheckRevocation(facts, untold),
            ReviewRules.MinimumTextLength);
    }

    private async Task<ReleaseSummary> DecideAsync(long releaseId, Decision decision, string eventKind,
        Func<ReleaseFacts, Decision, IReadOnlyList<Refusal>> rules, string[] statements, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var facts = await FactsAsync(connection, transaction, releaseId, cancellationToken);
        var refusals = rules(facts, decision);
        if (refusals.Count > 0)
            throw new ReviewRefusedException(refusals);
        object[] values = [releaseId, decision.Reviewer, clock.GetUtcNow(), decision.Justification!.Trim(), (object?)decision.Acknowledgement?.Trim() ?? DBNull.Value];
        foreach (var sql in statements)
        {
            await using var update = new NpgsqlCommand(sql, connection, transaction);
            // Each statement gets the parameters up to the highest it names ($1 … $5).
            var used = Enumerable.Range(1, values.Length).Last(i => i == 1 || sql.Contains($"${i}", StringComparison.Ordinal));
            for (var i = 0; i < used; i++)
                update.Parameters.Add(values[i] is DBNull ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text } : new NpgsqlParameter { Value = values[i] });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await audit.AppendAsync(connection, transaction, new AuditEntry(decision.Reviewer, eventKind, $"release:{releaseId}",
            new JsonObject { ["justification"] = decision.Justification!.Trim(), ["acknowledgement"] = decision.Acknowledgement?.Trim() }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await FindAsync(releaseId, cancellationToken))!;
    }

    /// <summary>A reviewer keeps one territory out of a pending release's publication.</summary>
    public async Task ExcludeTerritoryAsync(long releaseId, string territoryCode, string reviewer, string? reason, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var facts = await FactsAsync(connection, transaction, releaseId, cancellationToken);
        var refusals = ReviewRules.CheckExclusion(facts, reason);
        if (refusals.Count > 0)
            throw new ReviewRefusedException(refusals);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO review.territory_exclusion (release_id, territory_id, reason, excluded_by, excluded_at)
            SELECT $1, p.territory_id, $3, $4, $5 FROM ml.prediction p JOIN review.release r ON r.run_id = p.run_id JOIN geo.territory t ON t.id = p.territory_id
            WHERE r.id = $1 AND t.code = $2 GROUP BY p.territory_id
            ON CONFLICT (release_id, territory_id) DO UPDATE SET reason = excluded.reason, excluded_by = excluded.excluded_by, excluded_at = excluded.excluded_at
            """, connection, transaction))
        {
            insert.Parameters.Add(new() { Value = releaseId });
            insert.Parameters.Add(new() { Value = territoryCode });
            insert.Parameters.Add(new() { Value = reason!.Trim() });
            insert.Parameters.Add(new() { Value = reviewer });
            insert.Parameters.Add(new() { Value = clock.GetUtcNow() });
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
                throw new KeyNotFoundException($"territory '{territoryCode}' is not in release {releaseId}");
        }
        await audit.AppendAsync(connection, transaction, new AuditEntry(reviewer, AuditKinds.ReviewExclude, $"release:{releaseId}",
            new JsonObject { ["territory"] = territoryCode, ["reason"] = reason.Trim() }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>An analyst's comment on a territory of a model: a review item the next approval waits for.</summary>
    public async Task<long> CommentAsync(string specCode, string territoryCode, string author, string comment, CancellationToken cancellationToken = default)
    {
        if (!FreeText.HasContent(comment) || comment.Length > 4000)
            throw new ReviewRefusedException([new Refusal("comment",
                "Le commentaire doit faire entre 1 et 4 000 caractères, dont au moins un visible.",
                "The comment must be 1 to 4,000 characters long, at least one of them visible.")]);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long id;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO review.item (spec_code, territory_id, author, comment, created_at, state)
            SELECT $1, t.id, $3, $4, $5, 'open' FROM geo.territory t WHERE t.code = $2 ORDER BY t.vintage DESC LIMIT 1
            RETURNING id
            """, connection, transaction))
        {
            insert.Parameters.Add(new() { Value = specCode });
            insert.Parameters.Add(new() { Value = territoryCode });
            insert.Parameters.Add(new() { Value = author });
            insert.Parameters.Add(new() { Value = comment.Trim() });
            insert.Parameters.Add(new() { Value = clock.GetUtcNow() });
            id = await insert.ExecuteScalarAsync(cancellationToken) as long? ?? throw new KeyNotFoundException($"territory '{territoryCode}' does not exist");
        }
        await audit.AppendAsync(connection, transaction, new AuditEntry(author, AuditKinds.ReviewComment, $"item:{id}",
            new JsonObject { ["model"] = specCode, ["territory"] = territoryCode }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>A reviewer answers a review item: accepted, or declined with a reason.</summary>
    public async Task AnswerAsync(long itemId, string reviewer, bool accepted, string? reason, CancellationToken cancellationToken = default)
    {
        var refusals = ReviewRules.CheckAnswer(accepted, reason);
        if (refusals.Count > 0)
            throw new ReviewRefusedException(refusals);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var update = new NpgsqlCommand("""
            UPDATE review.item SET state = $2, answer = $3, answered_by = $4, answered_at = $5 WHERE id = $1 AND state = 'open'
            """, connection, transaction))
        {
            update.Parameters.Add(new() { Value = itemId });
            update.Parameters.Add(new() { Value = accepted ? "accepted" : "declined" });
            update.Parameters.Add(new() { Value = (object?)reason?.Trim() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            update.Parameters.Add(new() { Value = reviewer });
            update.Parameters.Add(new() { Value = clock.GetUtcNow() });
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
                throw new KeyNotFoundException($"review item {itemId} does not exist or was already answered");
        }
        await audit.AppendAsync(connection, transaction, new AuditEntry(reviewer, AuditKinds.ReviewAnswer, $"item:{itemId}",
            new JsonObject { ["accepted"] = accepted, ["reason"] = reason?.Trim() }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The release <paramref name="releaseId"/>, in whatever state. Null when none.</summary>
    public async Task<ReleaseSummary?> FindAsync(long releaseId, CancellationToken cancellationToken = default) =>
        (await ListAsync("r.id = $1", releaseId, cancellationToken)).FirstOrDefault();

    /// <summary>Every release, newest first; <paramref name="state"/> filters when given.</summary>
    public Task<List<ReleaseSummary>> ListAsync(ReleaseState? state, CancellationToken cancellationToken = default) =>
        ListAsync("($1::text IS NULL OR r.state = $1)", state is { } s ? ReleaseStates.Id(s) : DBNull.Value, cancellationToken);

    private async Task<List<ReleaseSummary>> ListAsync(string where, object parameter, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {SummaryColumns} FROM review.release r JOIN ml.model_run m ON m.id = r.run_id WHERE {where} ORDER BY r.id DESC");
        command.Parameters.Add(parameter is DBNull ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text } : new NpgsqlParameter { Value = parameter });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var releases = new List<ReleaseSummary>();
        while (await reader.ReadAsync(cancellationToken))
            releases.Add(new ReleaseSummary(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), ReleaseStates.Parse(reader.GetString(3)),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5), Verdicts.Parse(reader.GetString(6)), reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                reader.IsDBNull(10) ? null : reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.IsDBNull(12) ? null : reader.GetString(12), reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13),
                reader.IsDBNull(14) ? null : reader.GetString(14)));
        return releases;
    }

    private static async Task<ReleaseFacts> FactsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long releaseId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT r.state, m.launched_by, r.fairness_verdict,
                   (SELECT count(*) FROM review.item i WHERE i.spec_code = r.spec_code AND i.state = 'open')::int
            FROM review.release r JOIN ml.model_run m ON m.id = r.run_id WHERE r.id = $1
            FOR UPDATE OF r
            """, connection, transaction);
        command.Parameters.Add(new() { Value = releaseId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            throw new KeyNotFoundException($"release {releaseId} does not exist");
        return new ReleaseFacts(ReleaseStates.Parse(reader.GetString(0)), reader.GetString(1), Verdicts.Parse(reader.GetString(2)), reader.GetInt32(3));
    }

    private static async Task<string> JsonAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, long runId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new() { Value = runId });
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
