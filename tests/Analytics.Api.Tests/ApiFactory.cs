using System.Net.Http.Headers;
using Analytics.Jobs.Accounts;
using Analytics.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Api.Tests;

/// <summary>
/// The whole API — real authentication, real Hangfire worker — over a fresh PostGIS database of
/// its own. One per test class (<c>IClassFixture&lt;ApiFactory&gt;</c>).
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public PostgisDatabase Database { get; } = new();

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        _ = Server; // start now, so start-up failures show in the fixture rather than mid-test
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:ConnectionString", Database.ConnectionString);
        builder.UseSetting("Jobs:PollIntervalSeconds", "1");
    }

    public AccountStore Accounts => Services.GetRequiredService<AccountStore>();

    /// <summary>A client signed in with a personal API token of a new account holding exactly <paramref name="roles"/>.</summary>
    public async Task<HttpClient> ClientWithRolesAsync(params string[] roles)
    {
        var name = $"t-{string.Join("-", roles)}-{Guid.NewGuid():N}"[..40].TrimEnd('-');
        var account = await Accounts.CreateAsync(name, name, "a long test password", roles);
        var token = await Accounts.IssueTokenAsync(account.Id, "tests", TimeSpan.FromDays(1));
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Secret);
        return client;
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }
}
