using System.Text.Json;
using Analytics.Jobs.Database;
using Analytics.Models.Planning;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Release;

/// <summary>Where a published output comes from: the release in force, its run, the code and data it was built from, who approved it and when.</summary>
public sealed record Provenance
{
    // Only the gate makes one: holding a Provenance means the release was in force when it was read.
    internal Provenance(long releaseId, long runId, string model, string champion, string codeVersion, string datasetVersion, string approvedBy,
        DateTimeOffset approvedAt, string contentSha256) =>
        (ReleaseId, RunId, Model, Champion, CodeVersion, DatasetVersion, ApprovedBy, ApprovedAt, ContentSha256) =
        (releaseId, runId, model, champion, codeVersion, datasetVersion, approvedBy, approvedAt, contentSha256);

    public long ReleaseId { get; }
    public long RunId { get; }
    public string Model { get; }
    public string Champion { get; }
    public string CodeVersion { get; }
    public string DatasetVersion { get; }
    public string ApprovedBy { get; }
    public DateTimeOffset ApprovedAt { get; }
    public string ContentSha256 { get; }
}

/// <summary>One territory of a release's priority list, in the model's order (predicted SIR, the order the fairness audit judges).</summary>
public sealed record PriorityTerritory(int Rank, string Code, string Name, double PredictedSir, double Predicted, double IntervalLow, double IntervalHigh)
{
    /// <summary>Its 90% interval is wider than twice its predicted cases: its place in the order means little (planning leaves it unranked).</summary>
    public bool TooUncertain => PriorityRanking.IsTooUncertain(Predicted, IntervalLow, IntervalHigh);
}

/// <summary>A priority list: the release's latest period and its ranked territories, exclusions taken out.</summary>
public sealed record PriorityList(string Period, IReadOnlyList<PriorityTerritory> Territories);

public sealed record TerritoryPeriod(string Period, double Predicted, double IntervalLow, double IntervalHigh, double PredictedSir, int? PriorityRank,
    IReadOnlyDictionary<string, double> Contributions);

public sealed record TerritoryPredictions(string Name, IReadOnlyList<TerritoryPeriod> Periods);

/// <summary>
/// The publication gate and everything it lets through: what analysts and planners may read of a
/// model is the release in force (<c>review.release_in_force</c>), its reviewers' exclusions taken
/// out (<c>review.release_prediction</c>). Every read takes the <see cref="Provenance"/> the gate
/// returned and checks again that the release is in force, so a revocation between the two reads
/// serves nothing rather than a revoked output.
/// </summary>
public sealed class PublishedReleases(NpgsqlDataSource dataSource)
{
    /// <summary>The release of model <paramref name="model"/> in force, or null when none is.</summary>
    public async Task<Provenance?> InForceAsync(string model, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT release_id, run_id, spec_code, champion, code_version, dataset_version, approved_by, approved_at, content_sha256
            FROM review.release_in_force WHERE spec_code = $1
            """);
        command.Parameters.Add(new() { Value = model });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Provenance(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7), reader.GetString(8))
            : null;
    }

    public Task<PriorityList> PriorityListAsync(Provenance release, CancellationToken cancellationToken = default) =>
        PriorityLists.ReadAsync(dataSource, release.ReleaseId, inForceOnly: true, cancellationToken);

    /// <summary>Every period of one territory; null when the territory is not in the release (unknown, or excluded by its reviewers).</summary>
    public async Task<TerritoryPredictions?> TerritoryAsync(Provenance release, string territoryCode, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Release/Sql/territory_predictions.sql"));
        command.Parameters.Add(new() { Value = release.ReleaseId });
        command.Parameters.Add(new() { Value = territoryCode });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        string? name = null;
        var periods = new List<TerritoryPeriod>();
        while (await reader.ReadAsync(cancellationToken))
        {
            name = reader.GetString(0);
            periods.Add(new TerritoryPeriod(reader.GetString(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5),
                reader.IsDBNull(6) ? null : reader.GetInt32(6), JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(7))!));
        }
        return name is null ? null : new TerritoryPredictions(name, periods);
    }

    /// <summary>
    /// Per commune, the predicted SIR and rank of the release in force beside those of the release in force before it
    /// (as JSON, "[]" when it was the first): what changed for a planner's territory.
    /// </summary>
    public Task<string> ChangesJsonAsync(Provenance release, CancellationToken cancellationToken = default) =>
        ReleaseChanges.ReadAsync(dataSource, release.ReleaseId, inForceOnly: true, cancellationToken);

    /// <summary>The model card, coefficients, metrics and importance, as JSON headed by the provenance.</summary>
    public Task<string?> ModelCardJsonAsync(Provenance release, CancellationToken cancellationToken = default) =>
        TextAsync(StageSql.Load("Release/Sql/model_card.sql"), release, cancellationToken);

    /// <summary>The published form of both fairness reports (as trained and reweighted), as JSON; null when the run predates that form.</summary>
    public Task<string?> FairnessJsonAsync(Provenance release, CancellationToken cancellationToken = default) =>
        TextAsync(StageSql.Load("Release/Sql/published_fairness.sql"), release, cancellationToken);

    /// <summary>The published fairness page (both reports), in English when asked and stored; null when the run predates the published form.</summary>
    public Task<string?> FairnessHtmlAsync(Provenance release, bool english = false, CancellationToken cancellationToken = default) =>
        FairnessPages.ReadAsync(dataSource, release.ReleaseId, published: true, english, cancellationToken);

    /// <summary>The published report of the model as trained (the verdict the release carries) as CSV; null when the run predates the published form.</summary>
    public Task<string?> FairnessCsvAsync(Provenance release, CancellationToken cancellationToken = default) =>
        TextAsync(PublishedReport("published_csv", "unmitigated"), release, cancellationToken, withProvenance: false);

    private static string PublishedReport(string column, string variant) =>
        $"SELECT r.{column} FROM review.release_in_force f JOIN ml.fairness_report r ON r.run_id = f.run_id AND r.variant = '{variant}' WHERE f.release_id = $1";

    private async Task<string?> TextAsync(string sql, Provenance release, CancellationToken cancellationToken, bool withProvenance = true)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new() { Value = release.ReleaseId });
        if (withProvenance)
            command.Parameters.Add(new() { Value = JsonSerializer.Serialize(release, JsonSerializerOptions.Web), NpgsqlDbType = NpgsqlDbType.Jsonb });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }
}

/// <summary>Per commune, a release's predicted SIR and rank beside the release it was compared with, as JSON (release_changes.sql).</summary>
internal static class ReleaseChanges
{
    public static async Task<string> ReadAsync(NpgsqlDataSource dataSource, long releaseId, bool inForceOnly, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Release/Sql/release_changes.sql"));
        command.Parameters.Add(new() { Value = releaseId });
        command.Parameters.Add(new() { Value = inForceOnly });
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

/// <summary>
/// A release's fairness page, headed by its model, release and date and linked back to the app: the stored page
/// (written at training, before the release existed) gets its heading here (<see cref="FairnessReports.FairnessReportWriter.WithHeading"/>).
/// </summary>
internal static class FairnessPages
{
    private static readonly System.Globalization.CultureInfo French = System.Globalization.CultureInfo.GetCultureInfo("fr-FR");
    private static readonly System.Globalization.CultureInfo English = System.Globalization.CultureInfo.GetCultureInfo("en-GB");

    public static async Task<string?> ReadAsync(NpgsqlDataSource dataSource, long releaseId, bool published, bool english, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Release/Sql/fairness_page.sql"));
        command.Parameters.Add(new() { Value = releaseId });
        command.Parameters.Add(new() { Value = published });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(0))
            return null;
        // A run trained before English pages has only its French one: served as it is, in French.
        english &= !reader.IsDBNull(4);
        var html = reader.GetString(english ? 4 : 0);
        var title = reader.IsDBNull(english ? 5 : 1) ? null : reader.GetString(english ? 5 : 1);
        var model = title is null ? reader.GetString(2) : $"{title} ({reader.GetString(2)})";
        var date = reader.GetFieldValue<DateTimeOffset>(3).ToString("d MMMM yyyy", english ? English : French);
        var heading = english ? $"Fairness audit — {model} — release {releaseId} of {date}" : $"Audit d’équité — {model} — publication {releaseId} du {date}";
        var back = published ? "/#/priorites" : $"/#/relecture/{releaseId}";
        var backText = (published, english) switch
        {
            (true, false) => "Retour à l’application (listes prioritaires)",
            (true, true) => "Back to the app (priority lists)",
            (false, false) => $"Retour à l’application (relecture de la publication {releaseId})",
            (false, true) => $"Back to the app (review of release {releaseId})",
        };
        return FairnessReports.FairnessReportWriter.WithHeading(html, heading, back, backText, english ? "fr" : "en");
    }
}

/// <summary>The one reading of a release's priority list, for the published list and the review file alike.</summary>
internal static class PriorityLists
{
    public static async Task<PriorityList> ReadAsync(NpgsqlDataSource dataSource, long releaseId, bool inForceOnly, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Release/Sql/priority_list.sql"));
        command.Parameters.Add(new() { Value = releaseId });
        command.Parameters.Add(new() { Value = inForceOnly });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var period = "";
        var territories = new List<PriorityTerritory>();
        while (await reader.ReadAsync(cancellationToken))
        {
            period = reader.GetString(0);
            territories.Add(new PriorityTerritory(reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetDouble(4), reader.GetDouble(5),
                reader.GetDouble(6), reader.GetDouble(7)));
        }
        return new PriorityList(period, territories);
    }
}
