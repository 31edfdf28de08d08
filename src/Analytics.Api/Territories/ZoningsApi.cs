using System.Text.Json.Nodes;
using Analytics.Api.Access;
using Analytics.Api.Platform;
using Analytics.Jobs.Features;
using Analytics.Models.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Api.Territories;

/// <summary>
/// Custom zonings (health contracts, CPTS, study areas) for analysts and planners: every zone, accepted or refused
/// with why, and an accepted zone's figures rolled up under secrecy, with its outline.
/// </summary>
public static class ZoningsApi
{
    public sealed record ZoneHealthFigures(string Zoning, string Code, long HealthBatchId, string? Source, string? Licence, DateTimeOffset LoadedAt,
        IReadOnlyList<HealthFigure> Figures, IReadOnlyList<TerritoriesApi.StateName> States);

    public static IEndpointRouteBuilder MapZoningsApi(this IEndpointRouteBuilder app)
    {
        var zonings = app.MapGroup("/api/zonings").WithTags("Territories").AllowRoles(Role.PublishedReaders);
        zonings.MapGet("/", ListAsync).WithName("ListZones")
            .WithSummary("Les zonages personnalisés et leurs zones, acceptées ou refusées (avec le motif) / Custom zonings and their zones, accepted or refused (with why).");
        zonings.MapGet("/{zoning}/{code}/health", HealthAsync).WithName("GetZoneHealth")
            .WithSummary("Indicateurs de santé d'une zone acceptée, agrégés sous secret statistique, avec leur état / An accepted zone's health figures rolled up under secrecy.");
        zonings.MapGet("/{zoning}/{code}/geometry", GeometryAsync).WithName("GetZoneGeometry")
            .WithSummary("Contour d'une zone (union de ses communes), GeoJSON EPSG:4326 / A zone's outline, the union of its communes.");
        return app;
    }

    private static async Task<Ok<List<CustomZone>>> ListAsync(PublishedZones zones, CancellationToken cancellationToken) =>
        TypedResults.Ok(await zones.ListAsync(cancellationToken));

    private static async Task<Results<Ok<ZoneHealthFigures>, ProblemHttpResult>> HealthAsync(string zoning, string code, string? condition, PublishedZones zones,
        CancellationToken cancellationToken)
    {
        if (await zones.HealthAsync(zoning, code, condition, cancellationToken) is not { } health)
            return UnknownZone(zoning, code);
        return TypedResults.Ok(new ZoneHealthFigures(zoning, code, health.HealthBatchId, health.Source, health.Licence, health.LoadedAt, health.Figures, TerritoriesApi.StateNames));
    }

    private static async Task<IResult> GeometryAsync(string zoning, string code, PublishedZones zones, CancellationToken cancellationToken)
    {
        if (await zones.GeometryAsync(zoning, code, cancellationToken) is not { } geometry)
            return UnknownZone(zoning, code);
        var feature = new JsonObject
        {
            ["type"] = "Feature",
            ["geometry"] = JsonNode.Parse(geometry),
            ["properties"] = new JsonObject { ["zoning"] = zoning, ["code"] = code },
        };
        return Results.Text(feature.ToJsonString(), "application/geo+json; charset=utf-8");
    }

    private static ProblemHttpResult UnknownZone(string zoning, string code) => ApiProblems.Create(StatusCodes.Status404NotFound,
        $"Aucune zone acceptée « {code} » dans le zonage « {zoning} » avec des données publiées. / No accepted zone '{code}' in zoning '{zoning}' with published data.");
}
