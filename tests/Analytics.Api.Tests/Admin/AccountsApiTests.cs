using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Analytics.Api.Tests.Admin;

/// <summary>Account administration over HTTP: disabling ends sessions at once, an administrator cannot lock themselves out, a lost second factor is reset — by administrators only.</summary>
public class AccountsApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task an_administrator_disables_enables_and_resets_accounts_and_nobody_else_can()
    {
        var adminAccount = await api.NewAccountAsync(["admin"]);
        var admin = api.CreateBrowser();
        await api.SignInAsync(admin, adminAccount);
        var steward = await api.NewAccountAsync(["steward"]);
        var stewardSession = api.CreateBrowser();
        await api.SignInAsync(stewardSession, steward);
        Assert.Equal(HttpStatusCode.OK, (await stewardSession.GetAsync("/api/me")).StatusCode);

        var disabled = await admin.PostAsJsonAsync($"/api/admin/accounts/{steward.UserName}/disable", new { });
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.True((await disabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("isDisabled").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await stewardSession.GetAsync("/api/me")).StatusCode);

        var self = await admin.PostAsJsonAsync($"/api/admin/accounts/{adminAccount.UserName}/disable", new { });
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        Assert.Contains("cannot disable your own account", await self.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/me")).StatusCode);

        var enabled = await admin.PostAsJsonAsync($"/api/admin/accounts/{steward.UserName}/enable", new { });
        Assert.False((await enabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("isDisabled").GetBoolean());
        var reset = await admin.PostAsJsonAsync($"/api/admin/accounts/{steward.UserName}/second-factor/reset", new { });
        Assert.False((await reset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("hasTotp").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/admin/accounts/nobody-here/disable", new { })).StatusCode);

        foreach (var role in new[] { "analyst", "planner", "reviewer", "auditor", "steward" })
        {
            var other = await api.BrowserWithRolesAsync(role);
            foreach (var action in new[] { "disable", "enable", "second-factor/reset" })
                Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync($"/api/admin/accounts/{steward.UserName}/{action}", new { })).StatusCode);
        }
        var kinds = await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM audit.event WHERE kind = 'account.change' AND subject LIKE '%{steward.UserName}' AND actor = '{adminAccount.UserName}'");
        Assert.Equal(3L, kinds);
    }
}
