using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Analytics.Jobs.Accounts;
using Analytics.Models.Access;
using Analytics.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Analytics.Api.Tests;

/// <summary>
/// The whole API — real authentication, real Hangfire client — over a fresh PostGIS database of
/// its own. One per test class (<c>IClassFixture&lt;ApiFactory&gt;</c>). It runs no job worker:
/// see <see cref="WorkerApiFactory"/>.
/// </summary>
/// <remarks>
/// Callers: <see cref="ClientWithRolesAsync"/> (a personal API token — the usual way for API tests),
/// <see cref="BrowserWithRolesAsync"/> (a cookie session opened over HTTP through the second factor,
/// with the anti-forgery header set), or the parts: <see cref="NewAccountAsync"/>,
/// <see cref="CreateBrowser"/>, <see cref="SignInAsync"/>, <see cref="NextCodeAsync"/>.
/// Every log message of the host is kept in <see cref="Logs"/>.
/// </remarks>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>The password of every account the helpers create.</summary>
    public const string Password = "a long test password";

    // Hangfire builds its global filter list on first use, logging through the log provider of the
    // latest host configured. Build it before any host exists: a test host disposed first would
    // leave that first use with a disposed logger factory, and Hangfire unusable in the process.
    static ApiFactory() => _ = Hangfire.GlobalJobFilters.Filters;

    private readonly string secretKeyFile = Path.Combine(Path.GetTempPath(), $"analytics-test-{Guid.NewGuid():N}.key");

    public PostgisDatabase Database { get; } = new();

    /// <summary>Every message and exception the host logged.</summary>
    public CapturedLogs Logs { get; } = new();

    public virtual async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        _ = Server; // start now, so start-up failures show in the fixture rather than mid-test
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // As deployed by scripts/run.sh: the API connects as the application's role only, the database
        // already migrated by the owner; an owner connection inherited from the shell would point elsewhere.
        builder.UseSetting("Database:ConnectionString", Database.ConnectionString);
        builder.UseSetting("Database:OwnerConnectionString", "");
        builder.UseSetting("Jobs:PollIntervalSeconds", "1");
        builder.UseSetting("Jobs:RunWorkerInApi", RunsJobs ? "true" : "false");
        builder.UseSetting("Accounts:SecretKeyFile", secretKeyFile);
        builder.UseSetting("Training:SpecificationFolder", RepositoryFiles.PathOf("data/models"));
        builder.UseSetting("Pipeline:IndexDefinition", RepositoryFiles.PathOf("data/catalog/cumulative_index.json"));
        // Every test request comes from the same (absent) address; the per-address limit has its own test.
        builder.UseSetting("Access:SignInAttemptsPerMinutePerAddress", "100000");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    /// <summary>Whether this host runs a Hangfire worker.</summary>
    protected virtual bool RunsJobs => false;

    public AccountStore Accounts => Services.GetRequiredService<AccountStore>();

    public SecondFactors SecondFactors => Services.GetRequiredService<SecondFactors>();

    public ApiTokens Tokens => Services.GetRequiredService<ApiTokens>();

    /// <summary>An account created in the database; <paramref name="TotpSecret"/> is set when a second factor is enrolled.</summary>
    public sealed record TestAccount(long Id, string UserName, string Password, byte[]? TotpSecret);

    /// <summary>
    /// A new account holding exactly <paramref name="roles"/>, with password <see cref="Password"/>. When
    /// the roles need a second factor it is enrolled (through the store, with a code from its key),
    /// unless <paramref name="enrolTotp"/> is false.
    /// </summary>
    public async Task<TestAccount> NewAccountAsync(string[] roles, bool enrolTotp = true)
    {
        var name = $"t-{string.Join("-", roles)}-{Guid.NewGuid():N}"[..40].TrimEnd('-');
        var account = await Accounts.CreateAsync(name, name, Password, roles, "tests");
        if (!enrolTotp || !Role.RequireSecondFactor(roles))
            return new TestAccount(account.Id, name, Password, null);
        var enrolment = await SecondFactors.BeginTotpEnrolmentAsync(account.Id);
        Assert.True(Base32.TryDecode(enrolment.Secret, out var secret));
        var test = new TestAccount(account.Id, name, Password, secret);
        Assert.NotNull(await SecondFactors.ConfirmTotpEnrolmentAsync(account.Id, await NextCodeAsync(test)));
        return test;
    }

    /// <summary>
    /// A code the server accepts now for <paramref name="account"/>: of the current step, or of the
    /// next one when the current code was used already (waiting for the clock when both were).
    /// </summary>
    public async Task<string> NextCodeAsync(TestAccount account)
    {
        var secret = account.TotpSecret ?? throw new InvalidOperationException($"{account.UserName} has no second factor.");
        var lastUsed = await Database.ScalarAsync<long>("SELECT coalesce(totp_last_step, -1) FROM auth.account WHERE id = $1", account.Id);
        while (true)
        {
            var current = Totp.TimeStepAt(DateTimeOffset.UtcNow);
            var step = Math.Max(current, lastUsed + 1);
            if (step <= current + 1)
                return Totp.Code(secret, step);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>A client signed in with a personal API token of a new account holding exactly <paramref name="roles"/> (second factor enrolled when needed).</summary>
    public async Task<HttpClient> ClientWithRolesAsync(params string[] roles)
    {
        return await ClientForAsync(await NewAccountAsync(roles));
    }

    /// <summary>A client signed in with a new personal API token of <paramref name="account"/>.</summary>
    public async Task<HttpClient> ClientForAsync(TestAccount account)
    {
        var token = await Tokens.IssueTokenAsync(account.Id, "tests", 1, "tests");
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Secret);
        return client;
    }

    /// <summary>A client that keeps cookies, over https:// so that Secure cookies (the default) are sent back.</summary>
    public HttpClient CreateBrowser() =>
        CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, BaseAddress = new Uri("https://localhost") });

    /// <summary>A browser signed in over HTTP as a new account holding exactly <paramref name="roles"/>, ready to send unsafe requests.</summary>
    public async Task<HttpClient> BrowserWithRolesAsync(params string[] roles)
    {
        var browser = CreateBrowser();
        await SignInAsync(browser, await NewAccountAsync(roles));
        return browser;
    }

    /// <summary>
    /// Signs <paramref name="browser"/> in as <paramref name="account"/> the way the web app does:
    /// password, then a code when the account has a second factor, then the anti-forgery token
    /// into the <c>X-CSRF-TOKEN</c> header. Fails the test when any step is refused.
    /// </summary>
    public async Task SignInAsync(HttpClient browser, TestAccount account)
    {
        var signIn = await browser.PostAsJsonAsync("/api/auth/sign-in", new { userName = account.UserName, password = account.Password });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var step = (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("step").GetString();
        if (step == "code")
        {
            var code = await browser.PostAsJsonAsync("/api/auth/second-factor", new { code = await NextCodeAsync(account) });
            Assert.Equal(HttpStatusCode.OK, code.StatusCode);
            step = (await code.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("step").GetString();
        }
        Assert.Equal("signed-in", step);
        await UseAntiforgeryTokenAsync(browser);
    }

    /// <summary>Fetches the session's anti-forgery token and sends it with every later request of <paramref name="browser"/>.</summary>
    public static async Task UseAntiforgeryTokenAsync(HttpClient browser)
    {
        var antiforgery = await browser.GetFromJsonAsync<JsonElement>("/api/auth/antiforgery");
        var header = antiforgery.GetProperty("headerName").GetString()!;
        browser.DefaultRequestHeaders.Remove(header);
        browser.DefaultRequestHeaders.Add(header, antiforgery.GetProperty("token").GetString());
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        // Hangfire logs through one provider per process, the logger factory of the host configured last: once that
        // host is gone, a Hangfire object another live host builds (a job client for an upload) fails creating its
        // logger — a 500 that depended on which test class finished first. Without a provider, Hangfire logs nothing.
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
        await Database.DisposeAsync();
        File.Delete(secretKeyFile);
    }
}

/// <summary>Keeps every log message (with its exception) that a host writes, at every level it is configured to write.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> entries = new();

    /// <summary>Everything logged so far: category, level, message and exception text.</summary>
    public IReadOnlyList<string> Entries => [.. entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, entries);

    /// <summary>Tells the hosts built with <paramref name="logging"/> to send this provider everything, whatever the configured levels.</summary>
    public static void CaptureEverything(ILoggingBuilder logging) => logging.AddFilter<CapturedLogs>(null, LogLevel.Trace);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            entries.Enqueue($"{category} [scope] {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue($"{category} [{logLevel}] {formatter(state, exception)} {exception}");
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
