using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Analytics.Api.Access;
using Analytics.Api.Platform;
using Analytics.Jobs.Features;
using Analytics.Jobs.Ingest;
using Analytics.Models.Access;
using Microsoft.Extensions.Caching.Memory;

namespace Analytics.Api.Territories;

/// <summary>
/// Vector tiles of the territories for the map, with a published health figure and its state, or an
/// exposure, as attributes, and their TileJSON. A tile is made once per data version (the latest load and
/// features build) and kept in a bounded server-side cache; its ETag names that version, so a
/// browser revalidates cheaply and a new load or build is seen at once.
/// </summary>
public static class TilesApi
{

    /// <summary>The server-side tile cache: at most 256 MiB of tiles, each weighed by its size.</summary>
    public sealed class TileCache() : MemoryCache(new MemoryCacheOptions { SizeLimit = 256L << 20 });

    public static IEndpointRouteBuilder MapTilesApi(this IEndpointRouteBuilder app)
    {
        var tiles = app.MapGroup("/tiles").WithTags("Territories").AllowRoles(Role.PublishedReaders);
        tiles.MapGet("/{level}/{z:int}/{x:int}/{y:int}.mvt", TileAsync).WithName("GetTerritoryTile")
            .WithSummary("Tuile vectorielle des territoires, avec un indicateur de santé publié et son état (condition, statistic, period) ou une exposition (exposure, period) ; properties=state : le code et l'état seulement / Vector tile of the territories with a published health figure and its state, or an exposure; properties=state: code and state only.");
        tiles.MapGet("/{level}.json", TileJsonAsync).WithName("GetTileJson")
            .WithSummary("Document TileJSON 3.0 du niveau, avec ses vues (hors outre-mer, puis chaque département d'outre-mer) / TileJSON 3.0 document of a level, with its views (outside the overseas départements, then each overseas département).");
        return app;
    }

    private static async Task<IResult> TileAsync(string level, int z, int x, int y, string? condition, string? statistic, string? period, string? exposure,
        string? properties, HttpContext context, TerritoryTiles tiles, TileCache cache, CancellationToken cancellationToken)
    {
        if (!Levels.Published.Contains(level))
            return ApiProblems.Create(StatusCodes.Status400BadRequest, $"Niveau inconnu « {level} ». / Unknown level '{level}'.");
        if (z is < 0 or > TerritoryTiles.MaxZoom || x < 0 || y < 0 || x >= 1 << z || y >= 1 << z)
            return ApiProblems.Create(StatusCodes.Status400BadRequest,
                $"Tuile hors de la grille : z de 0 à {TerritoryTiles.MaxZoom}, x et y de 0 à 2^z − 1. / Tile outside the grid: z from 0 to {TerritoryTiles.MaxZoom}, x and y from 0 to 2^z − 1.");
        var asksHealth = condition is not null || statistic is not null;
        if ((asksHealth || exposure is not null) != (period is not null) || asksHealth && (condition is null || statistic is null || exposure is not null))
            return ApiProblems.Create(StatusCodes.Status400BadRequest,
                "Donnez condition, statistic et period ensemble, ou exposure et period. / Give condition, statistic and period together, or exposure and period.");
        if (properties is not (null or "state") || properties is not null && period is null)
            return ApiProblems.Create(StatusCodes.Status400BadRequest,
                "properties ne vaut que state (le code et l'état, sans nom ni valeur), avec une figure. / properties is state only (code and state, no name or value), with a figure.");
        var figure = period is null ? null : (exposure is null ? TileFigure.Health(condition!, statistic!, period) : TileFigure.OfExposure(exposure, period)) with { StateOnly = properties == "state" };

        var version = await tiles.DataVersionAsync(cancellationToken);
        var key = $"{level}/{z}/{x}/{y}?{figure?.Condition}&{figure?.Statistic}&{figure?.Exposure}&{figure?.Period}&{figure?.StateOnly}";
        var etag = $"\"{version}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16]}\"";
        // Authenticated content: kept by the browser only, and revalidated each time (the ETag makes that cheap).
        context.Response.Headers.CacheControl = "private, no-cache";
        context.Response.Headers.ETag = etag;
        if (context.Request.Headers.IfNoneMatch.Contains(etag))
            return Results.StatusCode(StatusCodes.Status304NotModified);
        var bytes = await cache.GetOrCreateAsync($"{version}|{key}", async entry =>
        {
            var tile = await tiles.TileAsync(level, z, x, y, figure, cancellationToken);
            entry.Size = Math.Max(tile.Length, 1);
            return tile;
        }) ?? [];
        return bytes.Length == 0 ? Results.NoContent() : Results.Bytes(bytes, "application/vnd.mapbox-vector-tile");
    }

    private static async Task<IResult> TileJsonAsync(string level, HttpContext context, TerritoryTiles tiles, CancellationToken cancellationToken)
    {
        if (!Levels.Published.Contains(level))
            return ApiProblems.Create(StatusCodes.Status400BadRequest, $"Niveau inconnu « {level} ». / Unknown level '{level}'.");
        var views = await tiles.ViewsAsync(level, cancellationToken);
        if (views.Count == 0)
            return ApiProblems.Create(StatusCodes.Status404NotFound, $"Aucun territoire {level} chargé et construit. / No {level} loaded and built.");
        double[] bounds = [views.Min(v => v.Bounds[0]), views.Min(v => v.Bounds[1]), views.Max(v => v.Bounds[2]), views.Max(v => v.Bounds[3])];
        JsonArray Degrees(double[] box) => new(box.Select(b => (JsonNode?)Math.Round(b, 6)).ToArray());
        var origin = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";
        var document = new JsonObject
        {
            ["tilejson"] = "3.0.0",
            ["name"] = $"territories ({level})",
            ["tiles"] = new JsonArray($"{origin}/tiles/{level}/{{z}}/{{x}}/{{y}}.mvt"),
            ["minzoom"] = 0,
            ["maxzoom"] = TerritoryTiles.MaxZoom,
            ["bounds"] = Degrees(bounds),
            // Beyond TileJSON: the views a map offers, the first to open on (overseas départements apart, as atlases inset them).
            ["views"] = new JsonArray([.. views.Select(v => (JsonNode?)new JsonObject
            {
                ["departement"] = v.Departement, ["name"] = v.Name, ["territories"] = v.Territories, ["bounds"] = Degrees(v.Bounds),
            })]),
            ["vector_layers"] = new JsonArray(new JsonObject
            {
                ["id"] = "territories",
                ["fields"] = new JsonObject { ["code"] = "String", ["name"] = "String", ["value"] = "Number", ["state"] = "String" },
            }),
        };
        return Results.Text(document.ToJsonString(), "application/json; charset=utf-8");
    }
}
