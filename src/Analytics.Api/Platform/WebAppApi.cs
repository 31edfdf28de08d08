using Analytics.Api.Access;
using Analytics.Models.Access;
using Analytics.Models.Fairness;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Api.Platform;

/// <summary>
/// What the web app needs to lay itself out for the caller, so it repeats neither the route
/// table's roles nor the product's words: the screens the caller may open (a screen is open when
/// its first route lets one of the caller's roles in) and the names of the fairness verdicts.
/// </summary>
public static class WebAppApi
{
    public sealed record VerdictName(string Id, string Fr, string En);
    public sealed record Shell(IReadOnlyList<string> Screens, IReadOnlyList<VerdictName> Verdicts);

    /// <summary>Each screen of the web app and the route it reads first.</summary>
    private static readonly (string Screen, string Endpoint)[] Screens =
    [
        ("map", "ExportLevelFigures"),
        ("publications", "ListModels"),
        ("reviews", "ListReleases"),
        ("decide", "ApproveRelease"),
        ("jobs", "ListHeartbeats"),
    ];

    public static IEndpointRouteBuilder MapWebAppApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/app", GetShell).WithTags("Access").WithName("GetAppShell")
            .WithSummary("Écrans ouverts à l'appelant et libellés des verdicts / Screens open to the caller and the verdicts' names.")
            .AllowRoles([.. Role.All]);
        return app;
    }

    private static Ok<Shell> GetShell(HttpContext context, EndpointDataSource endpoints)
    {
        var open = Screens.Where(s => MayCall(context, endpoints, s.Endpoint)).Select(s => s.Screen).ToList();
        var verdicts = Verdicts.All.Select(v => new VerdictName(v.Id, v.Label.Fr, v.Label.En)).ToList();
        return TypedResults.Ok(new Shell(open, verdicts));
    }

    private static bool MayCall(HttpContext context, EndpointDataSource endpoints, string endpointName)
    {
        var endpoint = endpoints.Endpoints.Single(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == endpointName);
        var roles = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries));
        return roles.Any(context.User.IsInRole);
    }
}
