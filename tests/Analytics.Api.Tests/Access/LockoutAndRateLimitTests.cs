using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;

namespace Analytics.Api.Tests.Access;

/// <summary>Failed sign-ins lock an account (default: 5 failures, 15 minutes); sign-in requests are rate limited per address and per name.</summary>
public class LockoutAndRateLimitTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static async Task<(HttpStatusCode Status, string? Title)> SignInAsync(HttpClient browser, string userName, string password)
    {
        var response = await browser.PostAsJsonAsync("/api/auth/sign-in", new { userName, password });
        var title = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString()
            : null;
        return (response.StatusCode, title);
    }

    [Fact]
    public async Task five_wrong_passwords_lock_the_account_and_the_answer_stays_the_one_an_unknown_name_gets()
    {
        var account = await api.NewAccountAsync(["analyst"]);
        var browser = api.CreateBrowser();
        for (var attempt = 1; attempt <= 5; attempt++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(browser, account.UserName, $"wrong password {attempt}")).Status);

        var locked = await SignInAsync(browser, account.UserName, ApiFactory.Password);
        var unknown = await SignInAsync(browser, "nobody-of-that-name", ApiFactory.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, locked.Status);
        Assert.Equal(unknown, locked);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/me")).StatusCode);
        Assert.True(await api.Database.ScalarAsync<bool>("SELECT locked_until > now() + interval '14 minutes' FROM auth.account WHERE id = $1", account.Id));

        // An administrator setting a new password lifts the lockout.
        await api.Accounts.SetPasswordAsync(account.UserName, ApiFactory.Password, "tests");
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(browser, account.UserName, ApiFactory.Password)).Status);
    }

    [Fact]
    public async Task wrong_codes_count_towards_lockout_and_a_new_password_attempt_does_not_reset_the_count()
    {
        var account = await api.NewAccountAsync(["admin"]);
        var browser = api.CreateBrowser();
        foreach (var wrongCodes in new[] { 1, 4 })
        {
            // Each round starts with the right password: it must not wipe the wrong codes before it.
            Assert.Equal(HttpStatusCode.OK, (await SignInAsync(browser, account.UserName, ApiFactory.Password)).Status);
            var right = await api.NextCodeAsync(account);
            var wrong = ((int.Parse(right) + 1) % 1_000_000).ToString("D6");
            for (var attempt = 0; attempt < wrongCodes; attempt++)
                Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsJsonAsync("/api/auth/second-factor", new { code = wrong })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(browser, account.UserName, ApiFactory.Password)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task sign_in_attempts_beyond_the_per_address_limit_get_429_in_french_and_english()
    {
        using var limited = api.WithWebHostBuilder(b => b.UseSetting("Access:SignInAttemptsPerMinutePerAddress", "3"));
        var browser = limited.CreateClient(new() { HandleCookies = true, BaseAddress = new Uri("https://localhost") });
        for (var attempt = 1; attempt <= 3; attempt++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(browser, $"someone-{attempt}", "some password")).Status);

        var response = await browser.PostAsJsonAsync("/api/auth/sign-in", new { userName = "someone-else", password = "some password" });
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("60", response.Headers.RetryAfter?.ToString());
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("Trop de tentatives de connexion : réessayez dans une minute. / Too many sign-in attempts: try again in a minute.", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task sign_in_attempts_beyond_the_per_name_limit_get_429_whether_or_not_the_name_exists()
    {
        // Default: 10 a minute for one name. An unknown name has no lockout; the limit still applies.
        var browser = api.CreateBrowser();
        for (var attempt = 1; attempt <= 10; attempt++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(browser, "Ghost-Account", $"guess {attempt}")).Status);
        var limited = await SignInAsync(browser, "ghost-account", "guess 11");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.StartsWith("Trop de tentatives", limited.Title);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(browser, "another-ghost", "guess 1")).Status);
    }
}
