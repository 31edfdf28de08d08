using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;

namespace Analytics.Api.Tests.Access;

public class AccessTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task signing_in_opens_a_secure_host_only_cookie_session_and_signing_out_closes_it()
    {
        var account = await api.NewAccountAsync(["planner"]);
        var browser = api.CreateBrowser();
        var signIn = await browser.PostAsJsonAsync("/api/auth/sign-in", new { userName = account.UserName, password = ApiFactory.Password });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal("signed-in", (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("step").GetString());
        var setCookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-oh.session=", StringComparison.Ordinal));
        Assert.Contains("; secure", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; path=/", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", setCookie, StringComparison.OrdinalIgnoreCase);

        var me = await browser.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal(account.UserName, me.GetProperty("userName").GetString());
        Assert.Equal("planner", me.GetProperty("roles")[0].GetString());

        await ApiFactory.UseAntiforgeryTokenAsync(browser);
        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsync("/api/auth/sign-out", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task with_cookie_secure_same_as_request_a_plain_http_host_gets_an_unprefixed_cookie_without_the_secure_flag()
    {
        using var plainHttp = api.WithWebHostBuilder(b => b.UseSetting("Access:CookieSecure", "SameAsRequest"));
        var account = await api.NewAccountAsync(["analyst"]);
        var browser = plainHttp.CreateClient(new() { HandleCookies = true });
        var signIn = await browser.PostAsJsonAsync("/api/auth/sign-in", new { userName = account.UserName, password = ApiFactory.Password });
        var setCookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("oh.session=", StringComparison.Ordinal));
        Assert.DoesNotContain("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public void a_cookie_secure_setting_that_would_send_cookies_in_clear_everywhere_stops_start_up()
    {
        using var insecure = api.WithWebHostBuilder(b => b.UseSetting("Access:CookieSecure", "None"));
        var error = Assert.ThrowsAny<Exception>(() => insecure.CreateClient());
        Assert.Contains("Access:CookieSecure must be Always or SameAsRequest", error.ToString());
    }

    [Fact]
    public async Task a_wrong_password_and_an_unknown_name_get_the_same_answer()
    {
        var account = await api.NewAccountAsync(["analyst"]);
        var wrongPassword = await api.CreateBrowser().PostAsJsonAsync("/api/auth/sign-in", new { userName = account.UserName, password = "not the password at all" });
        var unknownName = await api.CreateBrowser().PostAsJsonAsync("/api/auth/sign-in", new { userName = "no-such-person", password = ApiFactory.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownName.StatusCode);
        Assert.Equal(
            (await wrongPassword.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString(),
            (await unknownName.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.False(wrongPassword.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task a_personal_token_is_shown_once_listed_without_its_secret_and_revocable()
    {
        // Issued from a web session opened with the second factor, the only caller allowed to.
        var client = await api.BrowserWithRolesAsync("auditor");
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
        var owner = await api.BrowserWithRolesAsync("auditor");
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
