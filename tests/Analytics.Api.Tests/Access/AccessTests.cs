using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Analytics.Api.Tests.Access;

public class AccessTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private HttpClient BrowserLikeClient() => api.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });

    private async Task<string> NewAccountAsync(params string[] roles)
    {
        var name = $"web-{Guid.NewGuid():N}"[..20];
        await api.Accounts.CreateAsync(name, "Camille Martin", "a long test password", roles);
        return name;
    }

    [Fact]
    public async Task signing_in_opens_a_cookie_session_and_signing_out_closes_it()
    {
        var name = await NewAccountAsync("planner");
        var browser = BrowserLikeClient();
        var signIn = await browser.PostAsJsonAsync("/api/auth/sign-in", new { userName = name, password = "a long test password" });
        Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        var setCookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);

        var me = await browser.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal(name, me.GetProperty("userName").GetString());
        Assert.Equal("planner", me.GetProperty("roles")[0].GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsync("/api/auth/sign-out", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task a_wrong_password_and_an_unknown_name_get_the_same_answer()
    {
        var name = await NewAccountAsync("analyst");
        var wrongPassword = await BrowserLikeClient().PostAsJsonAsync("/api/auth/sign-in", new { userName = name, password = "not the password at all" });
        var unknownName = await BrowserLikeClient().PostAsJsonAsync("/api/auth/sign-in", new { userName = "no-such-person", password = "a long test password" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownName.StatusCode);
        Assert.Equal(
            (await wrongPassword.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString(),
            (await unknownName.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.False(wrongPassword.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task a_change_of_roles_or_a_disabled_account_takes_effect_on_an_open_session_at_once()
    {
        var name = await NewAccountAsync("admin");
        var browser = BrowserLikeClient();
        await browser.PostAsJsonAsync("/api/auth/sign-in", new { userName = name, password = "a long test password" });
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/admin/accounts")).StatusCode);

        await api.Accounts.SetRolesAsync(name, ["analyst"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/api/admin/accounts")).StatusCode);

        await api.Database.ScalarAsync<object>("UPDATE auth.account SET disabled_at = now() WHERE user_name = $1 RETURNING id", name);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task a_personal_token_is_shown_once_listed_without_its_secret_and_revocable()
    {
        var client = await api.ClientWithRolesAsync("auditor");
        var created = await client.PostAsJsonAsync("/api/me/tokens", new { name = "notebook", lifetimeDays = 30 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("no-store", created.Headers.CacheControl?.ToString());
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var secret = body.GetProperty("secret").GetString()!;
        var id = body.GetProperty("token").GetProperty("id").GetInt64();

        var listing = await client.GetStringAsync("/api/me/tokens");
        Assert.Contains("notebook", listing);
        Assert.DoesNotContain(secret, listing);

        var notebook = api.CreateClient();
        notebook.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await notebook.GetAsync("/api/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/me/tokens/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await notebook.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task a_token_cannot_revoke_another_persons_token()
    {
        var owner = await api.ClientWithRolesAsync("analyst");
        var other = await api.ClientWithRolesAsync("analyst");
        var created = await (await owner.PostAsJsonAsync("/api/me/tokens", new { name = "mine" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("token").GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/me/tokens/{id}")).StatusCode);
    }

    [Fact]
    public async Task a_bad_account_request_names_the_field_in_a_problem_response_and_creates_nothing()
    {
        var admin = await api.ClientWithRolesAsync("admin");
        var before = await api.Accounts.ListAsync();
        var response = await admin.PostAsJsonAsync("/api/admin/accounts", new { userName = "new-person", password = "a long enough password", roles = new[] { "superuser" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("'superuser' is not a role", problem.GetProperty("errors").GetProperty("roles")[0].GetString());
        Assert.Equal(before.Count, (await api.Accounts.ListAsync()).Count);
    }
}
