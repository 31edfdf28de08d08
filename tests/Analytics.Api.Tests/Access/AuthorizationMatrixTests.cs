using System.Net;
using System.Text;
using Analytics.Models.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Api.Tests.Access;

/// <summary>
/// Deny by default, checked from the running application's route table rather than a hand list:
/// every endpoint declares its roles (or that it is public), and every endpoint × role × anonymous
/// call is allowed exactly when declared.
/// </summary>
public class AuthorizationMatrixTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private sealed record Route(string Method, string Pattern, bool IsPublic, IReadOnlySet<string> Roles);

    private IReadOnlyList<Route> Routes()
    {
        var routes = new List<Route>();
        foreach (var endpoint in api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var roles = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>()
                .SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .ToHashSet();
            var isPublic = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            foreach (var method in methods)
                routes.Add(new Route(method, endpoint.RoutePattern.RawText ?? "", isPublic, roles));
        }
        return routes;
    }

    [Fact]
    public void every_endpoint_declares_its_roles_or_that_it_is_public()
    {
        var routes = Routes();
        Assert.NotEmpty(routes);
        var undeclared = routes.Where(r => !r.IsPublic && r.Roles.Count == 0).Select(r => $"{r.Method} {r.Pattern}").ToList();
        Assert.True(undeclared.Count == 0, $"Endpoints without roles: {string.Join(", ", undeclared)}. Add .AllowRoles(...) or .AllowAnonymous().");
        var unknown = routes.SelectMany(r => r.Roles).Where(role => !Role.IsKnown(role)).Distinct().ToList();
        Assert.Empty(unknown);
    }

    [Fact]
    public void only_health_and_sign_in_are_public()
    {
        var publicRoutes = Routes().Where(r => r.IsPublic).Select(r => $"{r.Method} {r.Pattern}").Order().ToList();
        Assert.Equal(["GET /health", "POST /api/auth/sign-in"], publicRoutes);
    }

    [Fact]
    public async Task an_endpoint_that_declares_nothing_is_refused_even_to_an_admin()
    {
        var policies = api.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        var fallback = await policies.GetFallbackPolicyAsync();
        Assert.NotNull(fallback);
        var admin = Analytics.Api.Access.AccessClaims.PrincipalFor(new Analytics.Jobs.Accounts.Account(1, "a", "a", Role.All, false), "test");
        var result = await api.Services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(admin, null, fallback);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task every_endpoint_answers_each_role_and_anonymous_exactly_as_declared()
    {
        var clients = new Dictionary<string, HttpClient> { ["anonymous"] = api.CreateClient() };
        foreach (var role in Role.All)
            clients[role] = await api.ClientWithRolesAsync(role);

        var unexpected = new List<string>();
        var checkedCalls = 0;
        foreach (var route in Routes())
        {
            foreach (var (caller, client) in clients)
            {
                var response = await client.SendAsync(RequestFor(route));
                var status = response.StatusCode;
                var allowed = route.IsPublic || route.Roles.Contains(caller);
                var expectedDenial = caller == "anonymous" ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
                if (allowed && status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    unexpected.Add($"{caller} refused {route.Method} {route.Pattern} ({(int)status})");
                if (!allowed && status != expectedDenial)
                    unexpected.Add($"{caller} got {(int)status} instead of {(int)expectedDenial} on {route.Method} {route.Pattern}");
                checkedCalls++;
            }
        }
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
        Assert.True(checkedCalls >= Routes().Count * 7);
    }

    /// <summary>A request that reaches the route: parameters filled with harmless values, an empty JSON body where one is expected.</summary>
    private static HttpRequestMessage RequestFor(Route route)
    {
        var path = System.Text.RegularExpressions.Regex.Replace(route.Pattern, @"\{\*?\*?(\w+)(:[^}]*)?\}", m =>
            m.Groups[2].Value switch
            {
                var c when c.Contains("long", StringComparison.Ordinal) => "999999",
                var c when c.Contains("guid", StringComparison.Ordinal) => Guid.Empty.ToString(),
                _ => "matrix-probe",
            });
        var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
        if (route.Method is "POST" or "PUT" or "PATCH")
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        return request;
    }
}
