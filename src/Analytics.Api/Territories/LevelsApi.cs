using System.Text.Json.Nodes;
using Analytics.Api.Access;
using Analytics.Api.Platform;
using Analytics.Jobs.AuditTrail;
using Analytics.Jobs.Exports;
using Analytics.Jobs.Features;
using Analytics.Jobs.Ingest;
using Analytics.Models.Access;
using Analytics.Models.AuditTrail;

namespace Analytics.Api.Territories;

/// <summary>
/// A published figure for every territory of a level — for a spreadsheet (CSV), a GIS (GeoJSON, GeoPackage)
/// or a script — and the charts of a territory's figures (ScottPlot, SVG or PNG, French or English). Every
/// export carries its provenance and goes in the audit log.
/// </summary>
public static class LevelsApi
{
    public static IEndpointRouteBuilder MapLevelsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/levels/{level}/figures", ExportAsync).WithTags("Territories").WithName("ExportLevelFigures").AllowRoles(Role.PublishedReaders)
            .WithSummary("Un indicateur publié pour tous les territoires d'un niveau : format=csv (UTF-8 avec BOM, ; ou , avec separator=comma), geojson ou gpkg (GeoPackage), avec sa provenance ; period obligatoire pour geojson et gpkg / One published figure for every territory of a level as CSV, GeoJSON or GeoPackage, with its provenance.");
        app.MapGet("/api/levels/{level}/clusters", ClustersAsync).WithTags("Territories").WithName("ListLevelClusters").AllowRoles(Role.PublishedReaders)
            .WithSummary("Grappes d'un niveau pour une condition et une période : method=lisa ou gi_star (catégorie locale, retenue sous le secret) ou scan (appartenance aux grappes du balayage spatial, rang en catégorie) / A level's cluster layer: LISA or Gi* categories (withheld under secrecy) or scan cluster membership.");
        app.MapGet("/api/levels/{level}/exposures", ExposuresAsync).WithTags("Territories").WithName("ListLevelExposures").AllowRoles(Role.PublishedReaders)
            .WithSummary("Une exposition ou valeur publique (indicator) de tous les territoires d'un niveau, pour une période ou toutes, avec la méthode et la couverture ou distance / One exposure or public value of every territory of a level.");
        app.MapGet("/api/territories/{level}/{code}/charts/{chart}", ChartAsync).WithTags("Territories").WithName("GetTerritoryChart").AllowRoles(Role.PublishedReaders)
            .WithSummary("Graphique : series (évolution face aux territoires parents, IC 95 %), distribution (le niveau, le territoire marqué), funnel (SIR / cas attendus, limites de Spiegelhalter) ; lang=fr|en, format=svg|png / Chart: series, distribution or funnel, in French or English, SVG or PNG.");
        return app;
    }

    private static async Task<IResult> ExportAsync(string level, string? condition, string? statistic, string? period, HttpContext context,
        PublishedFigures figures, AuditLog audit, CancellationToken cancellationToken, string format = "csv", string separator = "semicolon")
    {
        if (!Levels.Published.Contains(level))
            return TerritoriesApi.UnknownLevel(level);
        if (string.IsNullOrWhiteSpace(condition) || HealthStatistics.Find(statistic) is null)
            return ApiProblems.Create(StatusCodes.Status400BadRequest,
                $"Indiquez condition et statistic ({string.Join(", ", HealthStatistics.All.Select(s => s.Id))}). / Give condition and statistic.");
        if (format is not ("csv" or "geojson" or "gpkg") || separator is not ("semicolon" or "comma"))
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "format vaut csv, geojson ou gpkg ; separator vaut semicolon ou comma. / format is csv, geojson or gpkg; separator is semicolon or comma.");
        if (format != "csv" && string.IsNullOrWhiteSpace(period))
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Un export cartographique porte sur une période (period). / A map export is of one period (period).");
        var query = new LevelQuery(level, condition, statistic!, period, WithGeometry: format != "csv");
        var page = await figures.LevelAsync(query, cancellationToken);
        if (page.Figures.Count == 0 || await figures.ProvenanceAsync(cancellationToken) is not { } provenance)
            return NoFigure(condition, statistic!, period);
        var name = $"{level}-{condition}-{statistic}" + (period is null ? "" : $"-{period}");
        var file = format switch
        {
            "csv" => TypedResults.File(LevelFigureFiles.Csv(query, provenance, page.Figures, separator == "comma" ? CsvCell.Comma : CsvCell.Separator),
                "text/csv; charset=utf-8", $"{name}.csv"),
            "geojson" => TypedResults.File(LevelFigureFiles.GeoJsonCollection(query, provenance, page.Figures), "application/geo+json", $"{name}.geojson"),
            _ => TypedResults.File(LevelFigureFiles.GeoPackage(query, provenance, page.Figures), "application/geopackage+sqlite3", $"{name}.gpkg"),
        };
        await audit.AppendAsync(new AuditEntry(AccessClaims.UserName(context.User), AuditKinds.Export, $"batch:{provenance.HealthBatchId}",
            new JsonObject { ["what"] = $"level-figures.{format}", ["level"] = level, ["condition"] = condition, ["statistic"] = statistic, ["period"] = period }),
            cancellationToken);
        return file;
    }

    private static async Task<IResult> ClustersAsync(string level, string? condition, string? method, string? period, PublishedFigures figures, CancellationToken cancellationToken)
    {
        if (!Levels.Published.Contains(level))
            return TerritoriesApi.UnknownLevel(level);
        if (string.IsNullOrWhiteSpace(condition) || string.IsNullOrWhiteSpace(period) || method is not ("lisa" or "gi_star" or "scan"))
            return ApiProblems.Create(StatusCodes.Status400BadRequest,
                "Indiquez condition, period et method (lisa, gi_star ou scan). / Give condition, period and method (lisa, gi_star or scan).");
        return TypedResults.Ok(await figures.LevelClustersAsync(level, condition, method, period, cancellationToken));
    }

    private static async Task<IResult> ExposuresAsync(string level, string? indicator, string? period, PublishedFigures figures, CancellationToken cancellationToken)
    {
        if (!Levels.Published.Contains(level))
            return TerritoriesApi.UnknownLevel(level);
        if (string.IsNullOrWhiteSpace(indicator))
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Indiquez l'indicateur (indicator). / Give the indicator.");
        return TypedResults.Ok(await figures.LevelExposuresAsync(level, indicator, period, cancellationToken));
    }

    private static async Task<IResult> ChartAsync(string level, string code, string chart, string? condition, string? period, PublishedFigures figures,
        IndicatorCatalogue catalogue, CancellationToken cancellationToken, string statistic = "standardised_rate", string lang = "fr", string format = "svg")
    {
        if (!Levels.Published.Contains(level))
            return TerritoriesApi.UnknownLevel(level);
        if (chart is not ("series" or "distribution" or "funnel") || lang is not ("fr" or "en") || format is not ("svg" or "png"))
            return ApiProblems.Create(StatusCodes.Status400BadRequest,
                "chart vaut series, distribution ou funnel ; lang fr ou en ; format svg ou png. / chart is series, distribution or funnel; lang fr or en; format svg or png.");
        if (string.IsNullOrWhiteSpace(condition) || HealthStatistics.Comparable.FirstOrDefault(s => s.Id == statistic) is not { } shown)
            return ApiProblems.Create(StatusCodes.Status400BadRequest,
                $"Indiquez condition et statistic ({string.Join(", ", HealthStatistics.Comparable.Select(s => s.Id))}). / Give condition and statistic.");
        var (english, png) = (lang == "en", format == "png");
        var label = IndicatorCatalogue.Describing(await catalogue.ListAsync(cancellationToken), condition) is { } known ? (english ? known.LabelEn : known.LabelFr) : condition;
        if (chart == "series")
        {
            var rows = await figures.CompareAsync(level, code, condition, shown.Id, cancellationToken);
            return rows.Count == 0 ? NoFigure(condition, shown.Id, null) : Image(IndicatorCharts.Series(rows, shown, label, english, png));
        }
        period ??= (await figures.PublishedSeriesAsync(cancellationToken)).FirstOrDefault(s => s.Condition == condition && s.Statistic == shown.Id).Periods?[^1];
        if (period is null)
            return NoFigure(condition, shown.Id, null);
        if (chart == "distribution")
        {
            var all = (await figures.LevelAsync(new LevelQuery(level, condition, shown.Id, period), cancellationToken)).Figures;
            return all.FirstOrDefault(f => f.Code == code) is { } territory
                ? Image(IndicatorCharts.Distribution(all, territory, shown, label, english, png))
                : NoFigure(condition, shown.Id, period);
        }
        var sirs = (await figures.LevelAsync(new LevelQuery(level, condition, HealthStatistics.Sir.Id, period), cancellationToken)).Figures;
        if (!sirs.Any(f => f.Code == code))
            return NoFigure(condition, HealthStatistics.Sir.Id, period);
        var expected = (await figures.LevelAsync(new LevelQuery(level, condition, HealthStatistics.Expected.Id, period), cancellationToken)).Figures
            .Where(f => f.Value is > 0).ToDictionary(f => f.Code, f => f.Value!.Value);
        var points = sirs.Where(f => f.Value is not null && expected.ContainsKey(f.Code)).Select(f => new FunnelPoint(f.Code, f.Name, expected[f.Code], f.Value!.Value)).ToList();
        return Image(IndicatorCharts.Funnel(points, code, sirs.Count - points.Count, label, period, english, png));
    }

    private static IResult Image(ChartImage image) => TypedResults.File(image.Bytes, image.ContentType);

    private static IResult NoFigure(string condition, string statistic, string? period) => ApiProblems.Create(StatusCodes.Status404NotFound,
        $"Aucun indicateur publié {condition} / {statistic}{(period is null ? "" : $" / {period}")} pour ce territoire ou ce niveau. / No such published figure.");
}
