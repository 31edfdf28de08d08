using System.Net;
using Analytics.Models.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Api.Tests.Access;

/// <summary>
/// Deny by default, checked from the running application's route table rather than a hand list:
/// every endpoint declares its roles (or that it is public, or the sign-in step it belongs to),
/// and every endpoint × role × anonymous call is allowed exactly when declared.
/// </summary>
public class AuthorizationMatrixTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private IReadOnlyList<RouteTable.Route> Routes() => RouteTable.Of(api.Services);

    [Fact]
    public void every_endpoint_declares_its_roles_or_that_it_is_public()
    {
        var routes = Routes();
        Assert.NotEmpty(routes);
        var undeclared = routes.Where(r => !r.IsPublic && r.Roles.Count == 0 && r.SignInStep is null).Select(r => $"{r.Method} {r.Pattern}").ToList();
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
    public void only_the_second_factor_endpoints_are_open_to_a_half_open_sign_in_and_they_grant_no_role()
    {
        var stepRoutes = Routes().Where(r => r.SignInStep is not null).Select(r => $"{r.Method} {r.Pattern} {r.SignInStep}").Order().ToList();
        Assert.Equal(
        [
            "POST /api/auth/enrolment sign-in-step:enrolment",
            "POST /api/auth/enrolment/confirm sign-in-step:enrolment",
            "POST /api/auth/second-factor sign-in-step:code",
        ], stepRoutes);
        Assert.All(Routes().Where(r => r.SignInStep is not null), r => Assert.Empty(r.Roles));
    }

    [Fact]
    public async Task an_endpoint_that_declares_nothing_is_refused_even_to_an_admin()
    {
        var policies = api.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        var fallback = await policies.GetFallbackPolicyAsync();
        Assert.NotNull(fallback);
        var admin = Analytics.Api.Access.AccessClaims.PrincipalFor(new Analytics.Jobs.Accounts.Account(1, "a", "a", Role.All, false, true, Guid.NewGuid()), "test");
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
                var response = await client.SendAsync(RouteTable.RequestFor(route));
                var status = response.StatusCode;
                var allowed = route.IsPublic || route.Roles.Contains(caller);
                // Sign-in step routes open only to a half-open sign-in cookie, which no caller here has.
                var expectedDenial = caller == "anonymous" || route.SignInStep is not null ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
                if (allowed && status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden && !await IsTokenMintingRefusalAsync(route, response))
                    unexpected.Add($"{caller} refused {route.Method} {route.Pattern} ({(int)status})");
                if (!allowed && status != expectedDenial)
                    unexpected.Add($"{caller} got {(int)status} instead of {(int)expectedDenial} on {route.Method} {route.Pattern}");
                checkedCalls++;
            }
        }
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
        Assert.True(checkedCalls >= Routes().Count * 7);
    }

    /// <summary>
    /// The callers here hold API tokens, and a token cannot issue tokens: that 403 is the endpoint's own
    /// rule (a web session with the second factor is needed, AccountAttackTests), not the role table's.
    /// </summary>
    private static async Task<bool> IsTokenMintingRefusalAsync(RouteTable.Route route, HttpResponseMessage response) =>
        route is { Method: "POST", Pattern: "/api/me/tokens" } && response.StatusCode == HttpStatusCode.Forbidden
        && (await response.Content.ReadAsStringAsync()).Contains("un jeton ne peut pas créer d'autre jeton", StringComparison.Ordinal);
}
