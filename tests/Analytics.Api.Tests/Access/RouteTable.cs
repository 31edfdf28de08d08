using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Api.Tests.Access;

/// <summary>The running application's routes with what each declares about access, and harmless requests that reach them.</summary>
internal static partial class RouteTable
{
    /// <param name="SignInStep">The sign-in step policy (second factor) the route is opened to, if any.</param>
    public sealed record Route(string Method, string Pattern, bool IsPublic, IReadOnlySet<string> Roles, string? SignInStep);

    public static IReadOnlyList<Route> Of(IServiceProvider services)
    {
        var routes = new List<Route>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var authorize = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
            var roles = authorize
                .SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .ToHashSet();
            var step = authorize.Select(a => a.Policy).FirstOrDefault(p => p?.StartsWith(Analytics.Api.Access.EndpointAccess.SignInStepPolicyPrefix, StringComparison.Ordinal) == true);
            var isPublic = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            foreach (var method in methods)
                routes.Add(new Route(method, endpoint.RoutePattern.RawText ?? "", isPublic, roles, step));
        }
        return routes;
    }

    /// <summary>A request that reaches the route: parameters filled with harmless values, an empty JSON body where one is expected.</summary>
    public static HttpRequestMessage RequestFor(Route route)
    {
        var path = Parameter().Replace(route.Pattern, m =>
            m.Groups[2].Value switch
            {
                var c when c.Contains("long", StringComparison.Ordinal) => "999999",
                var c when c.Contains("int", StringComparison.Ordinal) => "0",
                var c when c.Contains("guid", StringComparison.Ordinal) => Guid.Empty.ToString(),
                _ => "matrix-probe",
            });
        var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
        if (route.Method is "POST" or "PUT" or "PATCH")
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        return request;
    }

    [GeneratedRegex(@"\{\*?\*?(\w+)(:[^}]*)?\}")]
    private static partial Regex Parameter();
}
