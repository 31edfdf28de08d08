using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Analytics.Api.Access;
using Analytics.Api.Platform;
using Analytics.Jobs.Exports;
using Analytics.Jobs.Features;
using Analytics.Jobs.Ingest;
using Analytics.Models.Access;

namespace Analytics.Api.Ogc;

/// <summary>
/// OGC API – Features, Part 1 Core (OGC 17-069r4), GeoJSON and HTML encodings, so QGIS and other GIS clients add
/// the service as layers (authenticated by a personal token sent as <c>Authorization: Bearer</c>): one collection
/// per territory level (boundaries) and one per level × published indicator (a rate or ratio of a condition, every
/// period, after statistical secrecy — a withheld figure has no value and its state named). Landing page,
/// conformance, collections, items with <c>bbox</c>, <c>datetime</c> (years), <c>limit</c> and paging links, one item,
/// <c>f=json|html</c>.
/// </summary>
public static partial class OgcFeaturesApi
{
    private const int DefaultLimit = 100, MaxLimit = 1000;

    private static readonly (string Level, string Fr, string En)[] LevelNames =
    [
        (Levels.Commune, "Communes", "Communes"),
        (Levels.Epci, "Intercommunalités (EPCI)", "Inter-municipal bodies (EPCI)"),
        (Levels.Departement, "Départements", "Départements"),
        (Levels.Region, "Régions", "Regions"),
    ];

    /// <summary>A collection: a level's boundaries (no condition) or a level × one published figure, with its periods.</summary>
    private sealed record Collection(string Id, string Level, string Fr, string En, string? Condition = null, string? Statistic = null, IReadOnlyList<string>? Periods = null);

    public static IEndpointRouteBuilder MapOgcFeaturesApi(this IEndpointRouteBuilder app)
    {
        var ogc = app.MapGroup("/ogc").WithTags("OGC API Features").AllowRoles(Role.PublishedReaders);
        ogc.MapGet("/", Landing).WithName("OgcLanding").WithSummary("Page d'accueil OGC API – Features (f=json|html) / OGC API – Features landing page.");
        ogc.MapGet("/conformance", Conformance).WithName("OgcConformance").WithSummary("Classes de conformité / Conformance classes.");
        ogc.MapGet("/collections", ListCollectionsAsync).WithName("OgcCollections")
            .WithSummary("Collections : les contours de chaque niveau, et chaque niveau × indicateur publié / Collections: each level's boundaries, and each level × published indicator.");
        ogc.MapGet("/collections/{collectionId}", GetCollectionAsync).WithName("OgcCollection").WithSummary("Une collection / One collection.");
        ogc.MapGet("/collections/{collectionId}/items", ItemsAsync).WithName("OgcItems")
            .WithSummary("Entités de la collection (bbox, datetime en années, limit, offset), GeoJSON ou HTML / The collection's features (bbox, datetime as years, limit, offset).");
        ogc.MapGet("/collections/{collectionId}/items/{featureId}", ItemAsync).WithName("OgcItem")
            .WithSummary("Une entité : code du territoire, ou code_période pour un indicateur / One feature: a territory code, or code_period for an indicator.");
        return app;
    }

    private static IResult Landing(HttpContext context, string f = "json") => Render(context, f, new JsonObject
    {
        ["title"] = "Une seule santé — territoires et indicateurs / One Health — territories and indicators",
        ["description"] = "Territoires chargés et indicateurs publiés (secret statistique appliqué), en OGC API – Features. / Loaded territories and published indicators (statistical secrecy applied).",
        ["links"] = new JsonArray(
            Link(context, "/ogc", "self", "application/json", "Cette page / This document"),
            Link(context, "/ogc?f=html", "alternate", "text/html", "Cette page en HTML / This document as HTML"),
            Link(context, "/swagger/v1/swagger.json", "service-desc", "application/vnd.oai.openapi+json;version=3.0", "Définition de l'API / API definition"),
            Link(context, "/ogc/conformance", "conformance", "application/json", "Conformité / Conformance"),
            Link(context, "/ogc/collections", "data", "application/json", "Collections")),
    });

    private static IResult Conformance(HttpContext context, string f = "json") => Render(context, f, new JsonObject
    {
        ["title"] = "Conformité / Conformance",
        ["conformsTo"] = new JsonArray(
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"),
    });

    private static async Task<IResult> ListCollectionsAsync(HttpContext context, PublishedFigures figures, IndicatorCatalogue catalogue,
        CancellationToken cancellationToken, string f = "json")
    {
        var collections = await CollectionsAsync(figures, catalogue, cancellationToken);
        return Render(context, f, new JsonObject
        {
            ["title"] = "Collections",
            ["links"] = new JsonArray(
                Link(context, "/ogc/collections", "self", "application/json", "Collections"),
                Link(context, "/ogc/collections?f=html", "alternate", "text/html", "Collections (HTML)")),
            ["collections"] = new JsonArray(collections.Select(c => (JsonNode)Describe(context, c)).ToArray()),
        });
    }

    private static async Task<IResult> GetCollectionAsync(string collectionId, HttpContext context, PublishedFigures figures, IndicatorCatalogue catalogue,
        CancellationToken cancellationToken, string f = "json") =>
        (await CollectionsAsync(figures, catalogue, cancellationToken)).FirstOrDefault(c => c.Id == collectionId) is { } collection
            ? Render(context, f, Describe(context, collection))
            : UnknownCollection(collectionId);

    private static async Task<IResult> ItemsAsync(string collectionId, HttpContext context, TerritoryDirectory directory, PublishedFigures figures,
        IndicatorCatalogue catalogue, CancellationToken cancellationToken, string? bbox = null, string? datetime = null, int limit = DefaultLimit, int offset = 0,
        string f = "json")
    {
        if ((await CollectionsAsync(figures, catalogue, cancellationToken)).FirstOrDefault(c => c.Id == collectionId) is not { } collection)
            return UnknownCollection(collectionId);
        if (limit < 1 || offset < 0)
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "limit ≥ 1 et offset ≥ 0. / limit ≥ 1 and offset ≥ 0.");
        limit = Math.Min(limit, MaxLimit);
        if (ParseBbox(bbox) is not (true, var box))
            return ApiProblems.Create(StatusCodes.Status400BadRequest,
                "bbox = ouest,sud,est,nord en degrés (EPSG:4326). / bbox = west,south,east,north in degrees (EPSG:4326).");
        if (ParseDatetime(datetime) is not (true, var from, var to))
            return ApiProblems.Create(StatusCodes.Status400BadRequest,
                "datetime = une date ou un intervalle RFC 3339 (2021, 2021-01-01T00:00:00Z, 2019/2021, ../2021), lu en années. / datetime = an RFC 3339 instant or interval, read as years.");

        List<JsonObject> features;
        long matched;
        if (collection.Condition is null)
        {
            var page = await directory.FeaturesAsync(collection.Level, box, limit, offset, cancellationToken);
            (features, matched) = (page.Features.Select(t => Feature(t.Code, t.GeometryJson, Boundary(collection.Level, t.Code, t.Name, t.Vintage))).ToList(), page.Matched);
        }
        else
        {
            var page = await figures.LevelAsync(new LevelQuery(collection.Level, collection.Condition, collection.Statistic!, Bbox: box, WithGeometry: true,
                Limit: limit, Offset: offset, From: from, To: to), cancellationToken);
            (features, matched) = (page.Figures.Select(x => Feature($"{x.Code}_{x.Period}", x.GeometryJson!, LevelFigureFiles.Properties(x))).ToList(), page.Matched);
        }
        var query = $"limit={limit}" + (bbox is null ? "" : $"&bbox={Uri.EscapeDataString(bbox)}") + (datetime is null ? "" : $"&datetime={Uri.EscapeDataString(datetime)}");
        var items = $"/ogc/collections/{collectionId}/items";
        var links = new JsonArray(
            Link(context, $"{items}?{query}&offset={offset}", "self", "application/geo+json", "Cette page / This page"),
            Link(context, $"{items}?{query}&offset={offset}&f=html", "alternate", "text/html", "Cette page en HTML / This page as HTML"),
            Link(context, $"/ogc/collections/{collectionId}", "collection", "application/json", collection.Fr));
        if (offset + features.Count < matched)
            links.Add(Link(context, $"{items}?{query}&offset={offset + limit}", "next", "application/geo+json", "Page suivante / Next page"));
        if (offset > 0)
            links.Add(Link(context, $"{items}?{query}&offset={Math.Max(0, offset - limit)}", "prev", "application/geo+json", "Page précédente / Previous page"));
        return Render(context, f, new JsonObject
        {
            ["type"] = "FeatureCollection",
            ["title"] = $"{collection.Fr} / {collection.En}",
            ["timeStamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["numberMatched"] = matched,
            ["numberReturned"] = features.Count,
            ["features"] = new JsonArray(features.Select(x => (JsonNode)x).ToArray()),
            ["links"] = links,
        }, "application/geo+json");
    }

    private static async Task<IResult> ItemAsync(string collectionId, string featureId, HttpContext context, TerritoryDirectory directory,
        PublishedFigures figures, IndicatorCatalogue catalogue, CancellationToken cancellationToken, string f = "json")
    {
        if ((await CollectionsAsync(figures, catalogue, cancellationToken)).FirstOrDefault(c => c.Id == collectionId) is not { } collection)
            return UnknownCollection(collectionId);
        JsonObject? feature = null;
        if (collection.Condition is null)
        {
            if (await directory.FindAsync(collection.Level, featureId, cancellationToken) is { } card
                && await directory.GeometryAsync(collection.Level, featureId, 0, cancellationToken) is { } geometry)
                feature = Feature(card.Code, geometry, Boundary(collection.Level, card.Code, card.Name, card.Vintage));
        }
        else if (featureId.LastIndexOf('_') is > 0 and var cut)
        {
            var page = await figures.LevelAsync(new LevelQuery(collection.Level, collection.Condition, collection.Statistic!, featureId[(cut + 1)..],
                WithGeometry: true, Code: featureId[..cut]), cancellationToken);
            if (page.Figures is [var x])
                feature = Feature(featureId, x.GeometryJson!, LevelFigureFiles.Properties(x));
        }
        if (feature is null)
            return ApiProblems.Create(StatusCodes.Status404NotFound, $"Aucune entité « {featureId} » dans {collectionId}. / No feature '{featureId}' in {collectionId}.");
        feature["links"] = new JsonArray(
            Link(context, $"/ogc/collections/{collectionId}/items/{Uri.EscapeDataString(featureId)}", "self", "application/geo+json", featureId),
            Link(context, $"/ogc/collections/{collectionId}", "collection", "application/json", collection.Fr));
        return Render(context, f, feature, "application/geo+json");
    }

    /// <summary>Every level's boundaries, then every level × (condition, rate or ratio) the latest health batch publishes.</summary>
    private static async Task<List<Collection>> CollectionsAsync(PublishedFigures figures, IndicatorCatalogue catalogue, CancellationToken cancellationToken)
    {
        var collections = LevelNames.Select(l => new Collection(l.Level, l.Level, l.Fr, l.En)).ToList();
        var indicators = await catalogue.ListAsync(cancellationToken);
        var series = (await figures.PublishedSeriesAsync(cancellationToken)).Where(s => HealthStatistics.Comparable.Any(c => c.Id == s.Statistic)).ToList();
        foreach (var level in LevelNames)
            foreach (var (condition, statistic, periods) in series)
            {
                var described = IndicatorCatalogue.Describing(indicators, condition);
                var shown = HealthStatistics.Find(statistic)!;
                collections.Add(new Collection($"{level.Level}.{condition}.{statistic}", level.Level,
                    $"{level.Fr} — {described?.LabelFr ?? condition} — {shown.Fr}", $"{level.En} — {described?.LabelEn ?? condition} — {shown.En}",
                    condition, statistic, periods));
            }
        return collections;
    }

    private static JsonObject Describe(HttpContext context, Collection c)
    {
        var description = new JsonObject
        {
            ["id"] = c.Id,
            ["title"] = $"{c.Fr} / {c.En}",
            ["itemType"] = "feature",
            ["crs"] = new JsonArray("http://www.opengis.net/def/crs/OGC/1.3/CRS84"),
            ["links"] = new JsonArray(
                Link(context, $"/ogc/collections/{c.Id}", "self", "application/json", c.Fr),
                Link(context, $"/ogc/collections/{c.Id}/items", "items", "application/geo+json", $"{c.Fr} (GeoJSON)"),
                Link(context, $"/ogc/collections/{c.Id}/items?f=html", "items", "text/html", $"{c.Fr} (HTML)")),
        };
        if (c.Periods is { Count: > 0 } periods)
            description["extent"] = new JsonObject
            {
                ["temporal"] = new JsonObject { ["interval"] = new JsonArray(new JsonArray(YearStart(periods[0]), YearEnd(periods[^1]))) },
            };
        return description;
    }

    private static string? YearStart(string period) => Year().IsMatch(period) ? $"{period}-01-01T00:00:00Z" : null;
    private static string? YearEnd(string period) => Year().IsMatch(period) ? $"{period}-12-31T23:59:59Z" : null;

    private static JsonObject Boundary(string level, string code, string name, int vintage) =>
        new() { ["code"] = code, ["name"] = name, ["level"] = level, ["vintage"] = vintage };

    private static JsonObject Feature(string id, string geometryJson, JsonObject properties) => new()
    {
        ["type"] = "Feature",
        ["id"] = id,
        ["geometry"] = JsonNode.Parse(geometryJson),
        ["properties"] = properties,
    };

    private static (bool Valid, double[]? Box) ParseBbox(string? bbox)
    {
        if (bbox is null)
            return (true, null);
        var parts = bbox.Split(',');
        if (parts.Length != 4 || !parts.All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)))
            return (false, null);
        var box = parts.Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return (box[0] <= box[2] && box[1] <= box[3], box);
    }

    /// <summary>An RFC 3339 instant or interval (open ends as <c>..</c>) read as the years it covers; periods are years.</summary>
    private static (bool Valid, string? From, string? To) ParseDatetime(string? datetime)
    {
        if (datetime is null)
            return (true, null, null);
        var ends = datetime.Split('/');
        if (ends.Length > 2)
            return (false, null, null);
        string? YearOf(string end) => end is ".." or "" ? null : YearPrefix().Match(end) is { Success: true } m ? m.Groups[1].Value : "invalid";
        var (from, to) = (YearOf(ends[0]), YearOf(ends[^1]));
        return from == "invalid" || to == "invalid" || (ends.Length == 1 && from is null) || (from is not null && to is not null && string.CompareOrdinal(from, to) > 0)
            ? (false, null, null)
            : (true, from, to);
    }

    [GeneratedRegex(@"^(\d{4})(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?)?)?$")]
    private static partial Regex YearPrefix();

    [GeneratedRegex(@"^\d{4}$")]
    private static partial Regex Year();

    private static JsonObject Link(HttpContext context, string path, string rel, string type, string title) => new()
    {
        ["href"] = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{path}",
        ["rel"] = rel,
        ["type"] = type,
        ["title"] = title,
    };

    /// <summary>The document as JSON (<paramref name="jsonType"/>), or as an HTML page when <c>f=html</c>.</summary>
    private static IResult Render(HttpContext context, string f, JsonObject document, string jsonType = "application/json") => f switch
    {
        "json" => Results.Text(document.ToJsonString(), $"{jsonType}; charset=utf-8"),
        "html" => Results.Text(OgcHtml.Page(document), "text/html; charset=utf-8"),
        _ => ApiProblems.Create(StatusCodes.Status400BadRequest, "f vaut json ou html. / f is json or html."),
    };

    private static IResult UnknownCollection(string id) => ApiProblems.Create(StatusCodes.Status404NotFound,
        $"Collection inconnue « {id} » (voir /ogc/collections). / Unknown collection '{id}' (see /ogc/collections).");
}
