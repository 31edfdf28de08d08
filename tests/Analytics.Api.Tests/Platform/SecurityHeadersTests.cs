using System.Net;
using Analytics.Api.Platform;
using Analytics.Api.Tests.Access;
using Analytics.Models.Access;

namespace Analytics.Api.Tests.Platform;

/// <summary>
/// Every response carries the security headers — the web app's page and static files, API answers, the bundled
/// tools and errors — and every <c>/api</c> answer says <c>no-store</c> (issue finding 13: none of them were sent).
/// </summary>
public class SecurityHeadersTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static void AssertHeaders(HttpResponseMessage response, string policy)
    {
        var path = response.RequestMessage!.RequestUri!.AbsolutePath;
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var csp), $"{path} ({(int)response.StatusCode}) has no Content-Security-Policy");
        Assert.True(policy == Assert.Single(csp), $"{path} ({(int)response.StatusCode}): {csp.Single()}");
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        if (path.StartsWith("/api", StringComparison.Ordinal))
            Assert.True(response.Headers.CacheControl?.NoStore == true, $"{path} ({(int)response.StatusCode}) may be cached: '{response.Headers.CacheControl}'");
    }

    [Theory]
    [InlineData("/", HttpStatusCode.OK)]
    [InlineData("/build/app.js", HttpStatusCode.OK)]
    [InlineData("/favicon.svg", HttpStatusCode.OK)]
    [InlineData("/app.css", HttpStatusCode.OK)]
    [InlineData("/health", HttpStatusCode.OK)]
    [InlineData("/no-such-page", HttpStatusCode.Unauthorized)]   // deny by default: unknown paths need a sign-in first
    [InlineData("/api/me", HttpStatusCode.Unauthorized)]
    [InlineData("/api/models", HttpStatusCode.Unauthorized)]
    [InlineData("/api/no-such-route", HttpStatusCode.Unauthorized)]
    [InlineData("/api/reviews?state=%00", HttpStatusCode.BadRequest)]
    public async Task pages_static_files_api_answers_and_errors_carry_the_headers(string path, HttpStatusCode status)
    {
        var response = await api.CreateClient().GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        AssertHeaders(response, SecurityHeaders.AppPolicy);
    }

    [Fact]
    public async Task the_signed_in_answers_of_api_me_and_api_models_are_never_stored()
    {
        var client = await api.ClientWithRolesAsync(Role.Analyst);
        foreach (var path in new[] { "/api/me", "/api/models" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            AssertHeaders(response, SecurityHeaders.AppPolicy);
        }
    }

    [Fact]
    public async Task every_route_of_the_route_table_answers_with_the_headers_whatever_its_status()
    {
        var admin = await api.ClientWithRolesAsync(Role.Admin);
        var anonymous = api.CreateClient();
        var routes = RouteTable.Of(api.Services);
        Assert.True(routes.Count > 30, $"only {routes.Count} routes found");
        foreach (var route in routes)
            foreach (var client in new[] { anonymous, admin })
            {
                var response = await client.SendAsync(RouteTable.RequestFor(route));
                var path = response.RequestMessage!.RequestUri!.AbsolutePath;
                var policy = path.StartsWith("/swagger", StringComparison.Ordinal) || path.StartsWith("/hangfire", StringComparison.Ordinal)
                    ? SecurityHeaders.ToolPolicy
                    : response.Content.Headers.ContentType?.MediaType == "text/html" && path.StartsWith("/api", StringComparison.Ordinal) ? SecurityHeaders.DocumentPolicy : SecurityHeaders.AppPolicy;
                AssertHeaders(response, policy);
            }
    }

    [Fact]
    public async Task swagger_ui_and_the_job_dashboard_get_their_own_policy_which_still_allows_scripts_from_this_origin_only()
    {
        var admin = await api.ClientWithRolesAsync(Role.Admin);
        foreach (var path in new[] { "/swagger/index.html", "/swagger/v1/swagger.json", "/hangfire" })
        {
            var response = await admin.GetAsync(path);
            Assert.True(HttpStatusCode.OK == response.StatusCode, $"{path}: {(int)response.StatusCode}");
            AssertHeaders(response, SecurityHeaders.ToolPolicy);
        }
    }

    [Fact]
    public void no_policy_allows_eval_inline_scripts_other_hosts_or_framing()
    {
        foreach (var policy in new[] { SecurityHeaders.AppPolicy, SecurityHeaders.ToolPolicy, SecurityHeaders.DocumentPolicy })
        {
            Assert.DoesNotContain("unsafe-eval", policy);
            Assert.DoesNotContain("script-src", policy);   // scripts fall back to default-src: 'self' or 'none'
            Assert.DoesNotContain("http", policy);
            Assert.DoesNotContain("*", policy);
            Assert.Contains("frame-ancestors 'none'", policy);
            Assert.Contains("base-uri 'none'", policy);
        }
        Assert.DoesNotContain("unsafe-inline", SecurityHeaders.AppPolicy);
    }
}
