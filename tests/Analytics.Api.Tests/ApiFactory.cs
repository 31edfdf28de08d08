using System.Net.Http.Headers;
using Analytics.Jobs.Accounts;
using Analytics.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Api.Tests;

/// <summary>
/// The whole API — real authentication, real Hangfire client — over a fresh PostGIS database of
/// its own. One per test class (<c>IClassFixture&lt;ApiFactory&gt;</c>). It runs no job worker:
/// see <see cref="WorkerApiFactory"/>.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    // Hangfire builds its global filter list on first use, logging through the log provider of the
    // latest host configured. Build it before any host exists: a test host disposed first would
    // leave that first use with a disposed logger factory, and Hangfire unusable in the process.
    static ApiFactory() => _ = Hangfire.GlobalJobFilters.Filters;

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
        builder.UseSetting("Jobs:RunWorkerInApi", RunsJobs ? "true" : "false");
    }

    /// <summary>Whether this host runs a Hangfire worker.</summary>
    protected virtual bool RunsJobs => false;

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

/// <summary>
/// An API host that also runs a job worker. Hangfire keeps process-wide state (its job activator
/// among it), so two workers in one process may run each other's jobs with the wrong services:
/// classes using this host belong to the <see cref="JobWorkersCollection"/>, which runs alone.
/// </summary>
public class WorkerApiFactory : ApiFactory
{
    protected override bool RunsJobs => true;
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class JobWorkersCollection
{
    public const string Name = "job workers";
}
