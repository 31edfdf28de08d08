using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Analytics.Api.Access;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Analytics.Api.Tests.Access;

/// <summary>
/// The API configured for an OpenID Connect provider (Keycloak-style groups claim). The provider's
/// signing key is a local RSA key given to the bearer handler directly, so nothing goes to the network.
/// </summary>
public sealed class OidcApiFactory : ApiFactory
{
    public const string Issuer = "https://sso.example.test/realms/ars";
    public const string Audience = "one-health-api";

    public RsaSecurityKey SigningKey { get; } = new(RSA.Create(2048)) { KeyId = "provider-key" };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Access:Oidc:Authority", Issuer);
        builder.UseSetting("Access:Oidc:Audience", Audience);
        builder.UseSetting("Access:Oidc:GroupRoles:ars-stewards", "steward");
        builder.UseSetting("Access:Oidc:GroupRoles:ars-analysts", "analyst");
        builder.ConfigureTestServices(services =>
            services.Configure<JwtBearerOptions>(AccessSetup.OidcScheme, o =>
            {
                // What the discovery document would give: the issuer and its signing keys.
                o.Configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
                o.Configuration.SigningKeys.Add(SigningKey);
            }));
    }

    /// <summary>An access token as the provider would issue it.</summary>
    public string Token(string[] groups, string audience = Audience, TimeSpan? expiresIn = null, SecurityKey? key = null, string issuer = Issuer)
    {
        var now = DateTime.UtcNow;
        var expires = now + (expiresIn ?? TimeSpan.FromMinutes(5));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = expires.AddMinutes(-30),
            NotBefore = expires.AddMinutes(-30),
            Expires = expires,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "f4d2c8e0-provider-subject",
                ["preferred_username"] = "camille.martin",
                ["name"] = "Camille Martin",
                ["groups"] = groups,
            },
            SigningCredentials = new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }

    public HttpClient ClientWith(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

public class OidcTests(OidcApiFactory api) : IClassFixture<OidcApiFactory>
{
    [Fact]
    public async Task mapped_groups_give_their_roles_and_nothing_more()
    {
        var client = api.ClientWith(api.Token(["ars-stewards", "cafeteria"]));
        var me = await client.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal("camille.martin", me.GetProperty("userName").GetString());
        Assert.Equal("Camille Martin", me.GetProperty("displayName").GetString());
        Assert.Equal(["steward"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/admin/jobs/heartbeat")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/admin/accounts")).StatusCode);
    }

    [Fact]
    public async Task a_person_in_no_mapped_group_is_refused_on_every_route_that_needs_a_role()
    {
        var client = api.ClientWith(api.Token(["cafeteria", "ars-everyone"]));
        var unexpected = new List<string>();
        foreach (var route in RouteTable.Of(api.Services).Where(r => r.Roles.Count > 0))
        {
            var status = (await client.SendAsync(RouteTable.RequestFor(route))).StatusCode;
            if (status != HttpStatusCode.Forbidden)
                unexpected.Add($"{(int)status} on {route.Method} {route.Pattern}");
        }
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
    }

    [Fact]
    public async Task expired_tokens_wrong_audiences_unknown_keys_and_other_issuers_are_unauthenticated()
    {
        using var otherKey = RSA.Create(2048);
        var refused = new[]
        {
            api.Token(["ars-stewards"], expiresIn: TimeSpan.FromMinutes(-10)),
            api.Token(["ars-stewards"], audience: "another-api"),
            api.Token(["ars-stewards"], key: new RsaSecurityKey(otherKey) { KeyId = "provider-key" }),
            api.Token(["ars-stewards"], issuer: "https://sso.example.test/realms/elsewhere"),
        };
        foreach (var token in refused)
            Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientWith(token).GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.ClientWith(api.Token(["ars-stewards"])).GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task personal_api_tokens_are_for_local_accounts_only()
    {
        var client = api.ClientWith(api.Token(["ars-analysts"]));
        var response = await client.PostAsJsonAsync("/api/me/tokens", new { name = "notebook" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.StartsWith("Les jetons personnels sont réservés aux comptes locaux", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task local_tokens_keep_working_beside_the_provider()
    {
        var local = await api.ClientWithRolesAsync("analyst");
        Assert.Equal(HttpStatusCode.OK, (await local.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task without_an_authority_provider_tokens_are_refused()
    {
        using var withoutOidc = api.WithWebHostBuilder(b => b.UseSetting("Access:Oidc:Authority", ""));
        var client = withoutOidc.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", api.Token(["ars-stewards"]));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public void a_group_mapped_to_an_unknown_role_stops_start_up_naming_the_key()
    {
        using var misconfigured = api.WithWebHostBuilder(b => b.UseSetting("Access:Oidc:GroupRoles:ars-chiefs", "chief"));
        var error = Assert.ThrowsAny<Exception>(() => misconfigured.CreateClient());
        Assert.Contains("Access:Oidc:GroupRoles maps 'ars-chiefs' to 'chief', which is not a role", error.ToString());
    }
}
