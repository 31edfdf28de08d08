using System.Net;
using System.Net.Http.Json;

namespace Analytics.Api.Tests.Access;

/// <summary>Disabling an account or changing what it may do takes effect on open sessions and tokens at the next request.</summary>
public class RevocationTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task disabling_an_account_ends_its_session_and_revokes_its_tokens_at_once()
    {
        var account = await api.NewAccountAsync(["steward"]);
        var browser = api.CreateBrowser();
        await api.SignInAsync(browser, account);
        var first = await api.Tokens.IssueTokenAsync(account.Id, "script", 30, "tests");
        await api.Tokens.IssueTokenAsync(account.Id, "notebook", 30, "tests");
        var script = api.CreateClient();
        script.DefaultRequestHeaders.Authorization = new("Bearer", first.Secret);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/admin/jobs/heartbeat")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/admin/jobs/heartbeat")).StatusCode);

        Assert.Equal(2, await api.Accounts.DisableAsync(account.UserName, "tests"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/admin/jobs/heartbeat")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/me")).StatusCode);
        Assert.All(await api.Tokens.ListTokensAsync(account.Id), t => Assert.NotNull(t.RevokedAt));

        // Enabling it again does not bring the tokens back.
        await api.Accounts.EnableAsync(account.UserName, "tests");
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task a_change_of_roles_ends_open_sessions_and_applies_to_tokens_at_the_next_request()
    {
        var account = await api.NewAccountAsync(["admin"]);
        var browser = api.CreateBrowser();
        await api.SignInAsync(browser, account);
        var token = await api.Tokens.IssueTokenAsync(account.Id, "script", 1, "tests");
        var script = api.CreateClient();
        script.DefaultRequestHeaders.Authorization = new("Bearer", token.Secret);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/admin/accounts")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/admin/accounts")).StatusCode);

        await api.Accounts.SetRolesAsync(account.UserName, ["admin", "analyst"], "tests");
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/me")).StatusCode);

        await api.Accounts.SetRolesAsync(account.UserName, ["analyst"], "tests");
        Assert.Equal(HttpStatusCode.Forbidden, (await script.GetAsync("/api/admin/accounts")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task a_new_password_ends_open_sessions()
    {
        var account = await api.NewAccountAsync(["planner"]);
        var browser = api.CreateBrowser();
        await api.SignInAsync(browser, account);
        await api.Accounts.SetPasswordAsync(account.UserName, "another long password", "tests");
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task setting_the_same_roles_again_keeps_the_session()
    {
        var account = await api.NewAccountAsync(["auditor", "planner"]);
        var browser = api.CreateBrowser();
        await api.SignInAsync(browser, account);
        await api.Accounts.SetRolesAsync(account.UserName, ["auditor", "planner"], "tests");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await browser.PostAsJsonAsync("/api/me/tokens", new { name = "still signed in" })).StatusCode);
    }
}
