using System.Globalization;
using System.Text.Json.Nodes;
using Analytics.Api.Access;
using Analytics.Api.Platform;
using Analytics.Jobs.Ingest;
using Analytics.Models.Access;

namespace Analytics.Api.Ogc;

/// <summary>
/// OGC API – Features, Part 1 Core (OGC 17-069r4), GeoJSON encoding: the loaded territories of each
/// level as a collection, so QGIS and other GIS clients add them as a layer (authenticated by a
/// personal token sent as <c>Authorization: Bearer</c>). Landing page, conformance, collections,
/// items with <c>bbox</c>, <c>limit</c> and paging links.
/// </summary>
public static class OgcFeaturesApi
{
    private const int DefaultLimit = 100, MaxLimit = 1000;


    private static readonly (string Id, string Fr, string En)[] Collections =
    [
        (Levels.Commune, "Communes", "Communes"),
        (Levels.Epci, "Intercommunalités (EPCI)", "Inter-municipal bodies (EPCI)"),
        (Levels.Departement, "Départements", "Départements"),
        (Levels.Region, "Régions", "Regions"),
    ];

    public static IEndpointRouteBuilder MapOgcFeaturesApi(this IEndpointRouteBuilder app)
    {
        var ogc = app.MapGroup("/ogc").WithTags("OGC API Features").AllowRoles(Role.PublishedReaders);
        ogc.MapGet("/", Landing).WithName("OgcLanding").WithSummary("Page d'accueil OGC API – Features / OGC API – Features landing page.");
        ogc.MapGet("/conformance", Conformance).WithName("OgcConformance").WithSummary("Classes de conformité / Conformance classes.");
        ogc.MapGet("/collections", ListCollections).WithName("OgcCollections").WithSummary("Collections : un niveau de territoires chacune / Collections, one per territory level.");
        ogc.MapGet("/collections/{collectionId}", GetCollection).WithName("OgcCollection").WithSummary("Une collection / One collection.");
        ogc.MapGet("/collections/{collectionId}/items", ItemsAsync).WithName("OgcItems")
            .WithSummary("Entités de la collection (bbox, limit, offset), GeoJSON / The collection's features (bbox, limit, offset), GeoJSON.");
        return app;
    }

    private static IResult Landing(HttpContext context) => Json(new JsonObject
    {
        ["title"] = "Une seule santé — territoires / One Health — territories",
        ["description"] = "Territoires chargés, en OGC API – Features. / Loaded territories as OGC API – Features.",
        ["links"] = new JsonArray(
            Link(context, "/ogc", "self", "application/json", "Cette page / This document"),
            Link(context, "/swagger/v1/swagger.json", "service-desc", "application/vnd.oai.openapi+json;version=3.0", "Définition de l'API / API definition"),
            Link(context, "/ogc/conformance", "conformance", "application/json", "Conformité / Conformance"),
            Link(context, "/ogc/collections", "data", "application/json", "Collections")),
    });

    private static IResult Conformance() => Json(new JsonObject
    {
        ["conformsTo"] = new JsonArray(
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"),
    });

    private static IResult ListCollections(HttpContext context) => Json(new JsonObject
    {
        ["links"] = new JsonArray(Link(context, "/ogc/collections", "self", "application/json", "Collections")),
        ["collections"] = new JsonArray(Collections.Select(c => (JsonNode)Collection(context, c)).ToArray()),
    });

    private static IResult GetCollection(string collectionId, HttpContext context) =>
        Collections.FirstOrDefault(c => c.Id == collectionId) is { Id: not null } collection ? Json(Collection(context, collection)) : UnknownCollection(collectionId);

    private static async Task<IResult> ItemsAsync(string collectionId, HttpContext context, TerritoryDirectory directory, CancellationToken cancellationToken,
        string? bbox = null, int limit = DefaultLimit, int offset = 0)
    {
        if (!Collections.Any(c => c.Id == collectionId))
            return UnknownCollection(collectionId);
        if (limit < 1 || offset < 0)
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "limit ≥ 1 et offset ≥ 0. / limit ≥ 1 and offset ≥ 0.");
        limit = Math.Min(limit, MaxLimit);
        double[]? box = null;
        if (bbox is not null)
        {
            var parts = bbox.Split(',');
            box = parts.Length == 4 && parts.All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                ? parts.Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray()
                : null;
            if (box is null || !box.All(double.IsFinite) || box[0] > box[2] || box[1] > box[3])
                return ApiProblems.Create(StatusCodes.Status400BadRequest,
                    "bbox = ouest,sud,est,nord en degrés (EPSG:4326). / bbox = west,south,east,north in degrees (EPSG:4326).");
        }
        var page = await directory.FeaturesAsync(collectionId, box, limit, offset, cancellationToken);
        var links = new JsonArray(Link(context, Items(collectionId, bbox, limit, offset), "self", "application/geo+json", "Cette page / This page"));
        if (offset + page.Features.Count < page.Matched)
            links.Add(Link(context, Items(collectionId, bbox, limit, offset + limit), "next", "application/geo+json", "Page suivante / Next page"));
        if (offset > 0)
            links.Add(Link(context, Items(collectionId, bbox, limit, Math.Max(0, offset - limit)), "prev", "application/geo+json", "Page précédente / Previous page"));
        var collection = new JsonObject
        {
            ["type"] = "FeatureCollection",
            ["timeStamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["numberMatched"] = page.Matched,
            ["numberReturned"] = page.Features.Count,
            ["features"] = new JsonArray(page.Features.Select(f => (JsonNode)new JsonObject
            {
                ["type"] = "Feature",
                ["id"] = f.Code,
                ["geometry"] = JsonNode.Parse(f.GeometryJson),
                ["properties"] = new JsonObject { ["code"] = f.Code, ["name"] = f.Name, ["level"] = collectionId, ["vintage"] = f.Vintage },
            }).ToArray()),
            ["links"] = links,
        };
        return Results.Text(collection.ToJsonString(), "application/geo+json; charset=utf-8");
    }

    private static JsonObject Collection(HttpContext context, (string Id, string Fr, string En) c) => new()
    {
        ["id"] = c.Id,
        ["title"] = $"{c.Fr} / {c.En}",
        ["itemType"] = "feature",
        ["crs"] = new JsonArray("http://www.opengis.net/def/crs/OGC/1.3/CRS84"),
        ["links"] = new JsonArray(
            Link(context, $"/ogc/collections/{c.Id}", "self", "application/json", c.Fr),
            Link(context, $"/ogc/collections/{c.Id}/items", "items", "application/geo+json", $"{c.Fr} (GeoJSON)")),
    };

    private static string Items(string collectionId, string? bbox, int limit, int offset) =>
        $"/ogc/collections/{collectionId}/items?limit={limit}&offset={offset}" + (bbox is null ? "" : $"&bbox={Uri.EscapeDataString(bbox)}");

    private static JsonObject Link(HttpContext context, string path, string rel, string type, string title) => new()
    {
        ["href"] = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{path}",
        ["rel"] = rel,
        ["type"] = type,
        ["title"] = title,
    };

    private static IResult Json(JsonObject document) => Results.Text(document.ToJsonString(), "application/json; charset=utf-8");

    private static IResult UnknownCollection(string id) => ApiProblems.Create(StatusCodes.Status404NotFound,
        $"Collection inconnue « {id} » : commune, epci, departement ou region. / Unknown collection '{id}': commune, epci, departement or region.");
}
