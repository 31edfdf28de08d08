using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Analytics.Api.Tests.Access;

/// <summary>Unsafe requests of a cookie session need the anti-forgery token in a header; token-authenticated requests do not.</summary>
public class AntiforgeryTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task a_session_post_without_the_token_is_refused_and_changes_nothing_and_with_it_succeeds()
    {
        // An auditor: signing in takes a code, so the session may issue tokens.
        var account = await api.NewAccountAsync(["auditor"]);
        var browser = api.CreateBrowser();
        await api.SignInAsync(browser, account);
        browser.DefaultRequestHeaders.Remove("X-CSRF-TOKEN");

        var forged = await browser.PostAsJsonAsync("/api/me/tokens", new { name = "forged" });
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        var problem = await forged.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("Jeton anti-falsification absent ou invalide", problem.GetProperty("title").GetString());
        Assert.Empty(await api.Tokens.ListTokensAsync(account.Id));

        await ApiFactory.UseAntiforgeryTokenAsync(browser);
        Assert.Equal(HttpStatusCode.Created, (await browser.PostAsJsonAsync("/api/me/tokens", new { name = "wanted" })).StatusCode);
        Assert.Single(await api.Tokens.ListTokensAsync(account.Id));
    }

    [Fact]
    public async Task a_token_fetched_by_another_session_is_refused()
    {
        var victim = await api.BrowserWithRolesAsync("admin");
        var attacker = await api.BrowserWithRolesAsync("analyst");
        var attackersToken = attacker.DefaultRequestHeaders.GetValues("X-CSRF-TOKEN").Single();
        victim.DefaultRequestHeaders.Remove("X-CSRF-TOKEN");
        victim.DefaultRequestHeaders.Add("X-CSRF-TOKEN", attackersToken);
        var response = await victim.PostAsJsonAsync("/api/admin/accounts", new { userName = "planted", password = "a long enough password", roles = new[] { "admin" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(await api.Accounts.FindAsync("planted"));
    }

    [Fact]
    public async Task deletes_of_a_session_need_the_token_too()
    {
        var account = await api.NewAccountAsync(["planner"]);
        var token = await api.Tokens.IssueTokenAsync(account.Id, "laptop", 1, "tests");
        var browser = api.CreateBrowser();
        await api.SignInAsync(browser, account);
        var header = browser.DefaultRequestHeaders.GetValues("X-CSRF-TOKEN").Single();
        browser.DefaultRequestHeaders.Remove("X-CSRF-TOKEN");
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.DeleteAsync($"/api/me/tokens/{token.Info.Id}")).StatusCode);
        browser.DefaultRequestHeaders.Add("X-CSRF-TOKEN", header);
        Assert.Equal(HttpStatusCode.NoContent, (await browser.DeleteAsync($"/api/me/tokens/{token.Info.Id}")).StatusCode);
    }

    [Fact]
    public async Task the_token_is_served_over_plain_http_too()
    {
        // The demo serves http://127.0.0.1, where browsers still keep Secure cookies.
        var client = await api.ClientWithRolesAsync("planner");
        Assert.Equal("http", client.BaseAddress!.Scheme);
        var response = await client.GetAsync("/api/auth/antiforgery");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("X-CSRF-TOKEN", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("headerName").GetString());
    }

    [Fact]
    public async Task requests_with_a_bearer_token_need_no_anti_forgery_token()
    {
        var account = await api.NewAccountAsync(["analyst"]);
        var client = await api.ClientForAsync(account);
        var other = await api.Tokens.IssueTokenAsync(account.Id, "old script", 1, "tests");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/me/tokens/{other.Info.Id}")).StatusCode);
    }
}
