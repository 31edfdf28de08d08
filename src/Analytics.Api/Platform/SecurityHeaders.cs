namespace Analytics.Api.Platform;

/// <summary>
/// Headers every response carries — pages, API answers, static files, errors — set when the response starts, so
/// they survive the exception handler clearing a failed response.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>Content-Security-Policy</c>: the web app loads scripts, styles and data from its own origin only, no
/// inline script, no <c>eval</c>, and cannot be framed (<see cref="AppPolicy"/>). The bundled tools — Swagger UI
/// (<c>/swagger</c>) and the job dashboard (<c>/hangfire</c>) — write inline styles and show <c>data:</c> images, so
/// they may (<see cref="ToolPolicy"/>), still with scripts from this origin only. Documents the API generates (the
/// fairness report page) hold no script at all and one inline style sheet (<see cref="DocumentPolicy"/>).</item>
/// <item><c>X-Content-Type-Options: nosniff</c>, <c>X-Frame-Options: DENY</c> (for browsers without
/// <c>frame-ancestors</c>), <c>Referrer-Policy: no-referrer</c>.</item>
/// <item><c>Cache-Control: no-store</c> on every <c>/api</c> and <c>/ogc</c> response: answers depend on who asks and on the
/// release in force, so no browser or proxy keeps them.</item>
/// </list>
/// </remarks>
public static class SecurityHeaders
{
    public const string AppPolicy =
        "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public const string ToolPolicy =
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public const string DocumentPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // The path as requested: the job dashboard rewrites it (path base /hangfire) before the response starts.
            var path = context.Request.Path;
            context.Response.OnStarting(() =>
            {
                Apply(context, path);
                return Task.CompletedTask;
            });
            return next(context);
        });

    private static void Apply(HttpContext context, PathString path)
    {
        var headers = context.Response.Headers;
        // The OGC API answers per caller like /api does.
        var isApi = path.StartsWithSegments("/api") || path.StartsWithSegments("/ogc");
        headers.ContentSecurityPolicy = PolicyFor(path, isApi, context.Response.ContentType);
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (isApi)
            headers.CacheControl = "no-store";
    }

    private static string PolicyFor(PathString path, bool isApi, string? contentType)
    {
        if (path.StartsWithSegments("/swagger") || path.StartsWithSegments("/hangfire"))
            return ToolPolicy;
        if (isApi && contentType is not null && contentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase))
            return DocumentPolicy;
        return AppPolicy;
    }
}
