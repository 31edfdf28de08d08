using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Analytics.Api.Access;
using Analytics.Api.Platform;
using Analytics.Jobs.AuditTrail;
using Analytics.Jobs.Exports;
using Analytics.Jobs.Features;
using Analytics.Jobs.Ingest;
using Analytics.Models.Access;
using Analytics.Models.AuditTrail;
using Analytics.Models.Secrecy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Api.Territories;

/// <summary>
/// Territories and what the features stage publishes about them, for analysts and planners: search
/// by name or INSEE code, ancestors and children, boundaries as GeoJSON, the indicator catalogue and
/// a territory's health figures with their publication state (after statistical secrecy — a
/// withheld figure has no value, only its state, named in French and English).
/// </summary>
public static class TerritoriesApi
{
    public sealed record TerritoryHealthFigures(string Level, string Code, long HealthBatchId, string? Source, string? Licence, DateTimeOffset LoadedAt,
        IReadOnlyList<HealthFigure> Figures, IReadOnlyList<StateName> States);
    public sealed record StateName(string Id, string Fr, string En);

    /// <summary>The publication states named in French and English, served beside every list of figures.</summary>
    internal static readonly IReadOnlyList<StateName> StateNames = PublicationStates.All.Select(s => new StateName(s.Id, s.Label.Fr, s.Label.En)).ToList();


    public static IEndpointRouteBuilder MapTerritoriesApi(this IEndpointRouteBuilder app)
    {
        var territories = app.MapGroup("/api/territories").WithTags("Territories").AllowRoles(Role.PublishedReaders);
        territories.MapGet("/", SearchAsync).WithName("SearchTerritories")
            .WithSummary("Rechercher un territoire par nom ou code INSEE (accents et casse ignorés) / Search territories by name or INSEE code (accents and case ignored).");
        territories.MapGet("/{level}/{code}", FindAsync).WithName("GetTerritory")
            .WithSummary("Un territoire, ses territoires parents et ses subdivisions / A territory, its ancestors and its children.");
        territories.MapGet("/{level}/{code}/geometry", GeometryAsync).WithName("GetTerritoryGeometry")
            .WithSummary("Contour en GeoJSON (EPSG:4326), simplifié sur demande (simplify, en mètres) / Boundary as GeoJSON, simplified on request (simplify, metres).");
        territories.MapGet("/{level}/{code}/health", HealthAsync).WithName("GetTerritoryHealth")
            .WithSummary("Indicateurs de santé publiés du territoire, avec intervalles et état de publication / Published health figures with intervals and publication state.");
        territories.MapGet("/{level}/{code}/health.csv", HealthCsvAsync).WithName("ExportTerritoryHealth")
            .WithSummary("Export CSV (UTF-8 avec BOM, séparateur ; ou , avec separator=comma) des indicateurs de santé publiés, avec leur provenance / CSV export of the published health figures with their provenance.");
        territories.MapGet("/{level}/{code}/ranking", RankingAsync).WithName("RankChildren")
            .WithSummary("Classement des subdivisions du territoire sur un indicateur publié (condition, statistic, period) ; les valeurs masquées à la fin avec leur état / The territory's children ranked on one published figure.");
        territories.MapGet("/{level}/{code}/profile", ProfileAsync).WithName("GetTerritoryProfile")
            .WithSummary("Expositions (avec couverture), grappes locales LISA / Gi*, grappes du balayage spatial, indice cumulé et son intervalle de rang / Exposures, local clusters, scan clusters and cumulative index.");
        territories.MapGet("/{level}/{code}/compare", CompareAsync).WithName("CompareTerritory")
            .WithSummary("Un indicateur du territoire à côté de ses territoires parents, intervalles et écart significatif / One figure beside the territory's ancestors, with intervals and a significance flag.");
        app.MapGet("/api/indicators", CatalogueAsync).WithTags("Territories").WithName("ListIndicators").AllowRoles(Role.PublishedReaders)
            .WithSummary("Catalogue des indicateurs : libellés, unité, méthode, source, licence / The indicator catalogue.");
        return app;
    }

    private static async Task<Results<Ok<List<TerritoryMatch>>, ProblemHttpResult>> SearchAsync(string? q, string? level, TerritoryDirectory directory,
        CancellationToken cancellationToken, int limit = 20)
    {
        if (string.IsNullOrWhiteSpace(q) || q.Length > 100)
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Indiquez un nom ou un code (q, 1 à 100 caractères). / Give a name or a code (q, 1 to 100 characters).");
        if (level is not null && !Levels.Published.Contains(level))
            return UnknownLevel(level);
        return TypedResults.Ok(await directory.SearchAsync(q, level, limit, cancellationToken));
    }

    private static async Task<Results<Ok<TerritoryCard>, ProblemHttpResult>> FindAsync(string level, string code, TerritoryDirectory directory, CancellationToken cancellationToken)
    {
        if (!Levels.Published.Contains(level))
            return UnknownLevel(level);
        return await directory.FindAsync(level, code, cancellationToken) is { } card ? TypedResults.Ok(card) : UnknownTerritory(level, code);
    }

    private static async Task<IResult> GeometryAsync(string level, string code, TerritoryDirectory directory, CancellationToken cancellationToken, double simplify = 0)
    {
        if (!Levels.Published.Contains(level))
            return UnknownLevel(level);
        if (!double.IsFinite(simplify) || simplify is < 0 or > 10_000)
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "simplify est une tolérance en mètres entre 0 et 10 000. / simplify is a tolerance in metres from 0 to 10,000.");
        if (await directory.GeometryAsync(level, code, simplify, cancellationToken) is not { } geometry)
            return UnknownTerritory(level, code);
        var feature = new JsonObject
        {
            ["type"] = "Feature",
            ["geometry"] = JsonNode.Parse(geometry),
            ["properties"] = new JsonObject { ["level"] = level, ["code"] = code, ["simplifiedMetres"] = simplify },
        };
        return Results.Text(feature.ToJsonString(), "application/geo+json; charset=utf-8");
    }

    private static async Task<Results<Ok<TerritoryHealthFigures>, ProblemHttpResult>> HealthAsync(string level, string code, string? condition,
        PublishedFigures figures, CancellationToken cancellationToken)
    {
        if (!Levels.Published.Contains(level))
            return UnknownLevel(level);
        if (await figures.HealthAsync(level, code, condition, cancellationToken) is not { } health)
            return UnknownTerritory(level, code);
        return TypedResults.Ok(new TerritoryHealthFigures(level, code, health.HealthBatchId, health.Source, health.Licence, health.LoadedAt, health.Figures, StateNames));
    }

    /// <summary>
    /// The same figures as a spreadsheet opens them: UTF-8 with a byte-order mark, <c>;</c> (or <c>,</c>), provenance
    /// in the first row, every cell through the one CSV writer (formula injection neutralised); the export is audited.
    /// </summary>
    private static async Task<IResult> HealthCsvAsync(string level, string code, string? condition, HttpContext context, PublishedFigures figures, AuditLog audit,
        CancellationToken cancellationToken, string separator = "semicolon")
    {
        if (!Levels.Published.Contains(level))
            return UnknownLevel(level);
        if (separator is not ("semicolon" or "comma"))
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "separator vaut semicolon ou comma. / separator is semicolon or comma.");
        if (await figures.HealthAsync(level, code, condition, cancellationToken) is not { } health)
            return UnknownTerritory(level, code);
        var text = new StringWriter(CultureInfo.InvariantCulture);
        var csv = new CsvWriter(text, separator == "comma" ? CsvCell.Comma : CsvCell.Separator);
        csv.Row($"# territoire={level}/{code}", $"lot_sante={health.HealthBatchId}", $"source={health.Source}", $"licence={health.Licence}",
            string.Create(CultureInfo.InvariantCulture, $"charge_le={health.LoadedAt:O}"), "secret statistique appliqué / statistical secrecy applied");
        csv.Row("pathologie", "periode", "statistique", "valeur", "ic_bas", "ic_haut", "etat", "etat_libelle", "methode");
        foreach (var f in health.Figures)
            csv.Row(f.Condition, f.Period, f.Statistic, Number(f.Value), Number(f.Low), Number(f.High), PublicationStates.Id(f.State), PublicationStates.Label(f.State).Fr, f.Method);
        await audit.AppendAsync(new AuditEntry(AccessClaims.UserName(context.User), AuditKinds.Export, $"batch:{health.HealthBatchId}",
            new JsonObject { ["what"] = "territory-health.csv", ["territory"] = $"{level}/{code}" }), cancellationToken);
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text.ToString())).ToArray();
        return TypedResults.File(bytes, "text/csv; charset=utf-8", $"sante-{level}-{code}.csv");
    }

    private static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    private static async Task<Results<Ok<List<RankedTerritory>>, ProblemHttpResult>> RankingAsync(string level, string code, string? condition, string? statistic,
        string? period, PublishedFigures figures, CancellationToken cancellationToken)
    {
        if (!Levels.Published.Contains(level))
            return UnknownLevel(level);
        if (string.IsNullOrWhiteSpace(condition) || string.IsNullOrWhiteSpace(period) || statistic is null || !ComparableStatistics.Contains(statistic))
            return ApiProblems.Create(StatusCodes.Status400BadRequest,
                $"Indiquez condition, period et statistic ({string.Join(", ", ComparableStatistics)}). / Give condition, period and statistic ({string.Join(", ", ComparableStatistics)}).");
        var ranked = await figures.RankChildrenAsync(level, code, condition, statistic, period, cancellationToken);
        return ranked.Count > 0 ? TypedResults.Ok(ranked) : UnknownTerritory(level, code);
    }

    private static async Task<Results<Ok<TerritoryProfile>, ProblemHttpResult>> ProfileAsync(string level, string code, PublishedFigures figures,
        CancellationToken cancellationToken)
    {
        if (!Levels.Published.Contains(level))
            return UnknownLevel(level);
        return await figures.ProfileAsync(level, code, cancellationToken) is { } profile ? TypedResults.Ok(profile) : UnknownTerritory(level, code);
    }

    /// <summary>Statistics a comparison or a ranking can be made on: the rates and ratios, never a count.</summary>
    private static readonly string[] ComparableStatistics = HealthStatistics.Comparable.Select(s => s.Id).ToArray();

    private static async Task<Results<Ok<List<ComparedFigure>>, ProblemHttpResult>> CompareAsync(string level, string code, string? condition, PublishedFigures figures,
        CancellationToken cancellationToken, string statistic = "standardised_rate")
    {
        if (!Levels.Published.Contains(level))
            return UnknownLevel(level);
        if (string.IsNullOrWhiteSpace(condition))
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Indiquez la pathologie (condition, code du catalogue). / Name the condition (condition, a catalogue code).");
        if (!ComparableStatistics.Contains(statistic))
            return ApiProblems.Create(StatusCodes.Status400BadRequest,
                $"statistic est l'un de {string.Join(", ", ComparableStatistics)}. / statistic is one of {string.Join(", ", ComparableStatistics)}.");
        var rows = await figures.CompareAsync(level, code, condition, statistic, cancellationToken);
        return rows.Count > 0 ? TypedResults.Ok(rows) : UnknownTerritory(level, code);
    }

    private static async Task<Ok<List<CatalogueIndicator>>> CatalogueAsync(IndicatorCatalogue catalogue, CancellationToken cancellationToken) =>
        TypedResults.Ok(await catalogue.ListAsync(cancellationToken));

    internal static ProblemHttpResult UnknownLevel(string level) => ApiProblems.Create(StatusCodes.Status400BadRequest,
        $"Niveau inconnu « {level} » : commune, epci, departement ou region. / Unknown level '{level}': commune, epci, departement or region.");

    private static ProblemHttpResult UnknownTerritory(string level, string code) => ApiProblems.Create(StatusCodes.Status404NotFound,
        $"Aucun territoire {level} {code} avec des données publiées. / No {level} {code} with published data.");
}
