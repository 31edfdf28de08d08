using Analytics.Jobs.Database;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Release;

public sealed record ReviewItem(long Id, string Model, string Territory, string Author, string Comment, DateTimeOffset CreatedAt, string State,
    string? Answer, string? AnsweredBy, DateTimeOffset? AnsweredAt);

/// <summary>
/// What reviewers and auditors read of a release whatever its state — the evidence a decision
/// rests on, unreviewed outputs included. Never for analysts' and planners' routes: theirs go
/// through <see cref="PublishedReleases"/>.
/// </summary>
public sealed class ReleaseFiles(NpgsqlDataSource dataSource)
{
    /// <summary>The review file as JSON: decision, data quality, diff against the release in force, metrics, card, exclusions, open items. Null for an unknown release.</summary>
    public async Task<string?> ReviewFileJsonAsync(long releaseId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Release/Sql/review_file.sql"));
        command.Parameters.Add(new() { Value = releaseId });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public Task<PriorityList> PriorityListAsync(long releaseId, CancellationToken cancellationToken = default) =>
        PriorityLists.ReadAsync(dataSource, releaseId, inForceOnly: false, cancellationToken);

    /// <summary>The reviewers' whole fairness page (territory results and residual map included), headed by its release. Null for an unknown release.</summary>
    public Task<string?> FairnessHtmlAsync(long releaseId, bool english = false, CancellationToken cancellationToken = default) =>
        FairnessPages.ReadAsync(dataSource, releaseId, published: false, english, cancellationToken);

    /// <summary>Per commune, the release's predicted SIR and rank beside those of the release it was compared with; "[]" when none (or an unknown release).</summary>
    public Task<string> ChangesJsonAsync(long releaseId, CancellationToken cancellationToken = default) =>
        ReleaseChanges.ReadAsync(dataSource, releaseId, inForceOnly: false, cancellationToken);

    /// <summary>The fairness verdicts and ratios per group of the release's model as trained, without counts. Null for an unknown release.</summary>
    public async Task<string?> FairnessSummaryJsonAsync(long releaseId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Release/Sql/fairness_summary.sql"));
        command.Parameters.Add(new() { Value = releaseId });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>Analysts' comments, oldest first, in <paramref name="state"/> when given.</summary>
    public async Task<List<ReviewItem>> ReviewItemsAsync(string? state, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Release/Sql/review_items.sql"));
        command.Parameters.Add(new() { Value = (object?)state ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<ReviewItem>();
        while (await reader.ReadAsync(cancellationToken))
            items.Add(new ReviewItem(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9)));
        return items;
    }
}
