using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Analytics.Api.Tests.Audit;

/// <summary>An API host whose every log line, at every level, is kept for inspection.</summary>
public sealed class LogCapturingApiFactory : ApiFactory
{
    public ConcurrentQueue<string> Lines { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging =>
        {
            logging.AddProvider(new CapturingProvider(Lines));
            // Provider-specific rules win over the configured defaults: this provider sees everything, Trace included.
            logging.AddFilter<CapturingProvider>(null, LogLevel.Trace);
        });
    }

    private sealed class CapturingProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, lines);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            lines.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}

/// <summary>Passwords and API tokens go through sign-in, account and token requests, and never into a log line, at any level.</summary>
public class SecretsStayOutOfLogsTests(LogCapturingApiFactory api) : IClassFixture<LogCapturingApiFactory>
{
    [Fact]
    public async Task no_password_or_token_reaches_the_logs_at_any_level()
    {
        const string password = "correct horse battery staple 42";
        const string wrongPassword = "wrong horse battery staple 43";
        var name = $"logs-{Guid.NewGuid():N}"[..20];
        var admin = await api.ClientWithRolesAsync("admin");
        Assert.True((await admin.PostAsJsonAsync("/api/admin/accounts", new { userName = name, password, roles = new[] { "auditor" } })).IsSuccessStatusCode);
        var rejected = await admin.PostAsJsonAsync("/api/admin/accounts", new { userName = "x", password = wrongPassword, roles = new[] { "auditor" } });
        Assert.False(rejected.IsSuccessStatusCode);

        var browser = api.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        Assert.False((await browser.PostAsJsonAsync("/api/auth/sign-in", new { userName = name, password = wrongPassword })).IsSuccessStatusCode);
        Assert.True((await browser.PostAsJsonAsync("/api/auth/sign-in", new { userName = name, password })).IsSuccessStatusCode);
        var issued = await (await browser.PostAsJsonAsync("/api/me/tokens", new { name = "notebook", lifetimeDays = 7 })).Content.ReadFromJsonAsync<JsonElement>();
        var secret = issued.GetProperty("secret").GetString()!;

        var notebook = api.CreateClient();
        notebook.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        Assert.True((await notebook.GetAsync("/api/audit/verify")).IsSuccessStatusCode);
        var revokedOrForged = api.CreateClient();
        revokedOrForged.DefaultRequestHeaders.Authorization = new("Bearer", secret[..^4] + "AAAA");
        Assert.False((await revokedOrForged.GetAsync("/api/audit/verify")).IsSuccessStatusCode);

        var lines = api.Lines.ToList();
        Assert.True(lines.Count > 20, $"only {lines.Count} log lines were captured: the capture itself is not working");
        foreach (var leaked in new[] { password, wrongPassword, secret, secret[4..], secret[..^4] + "AAAA" })
            Assert.DoesNotContain(lines, line => line.Contains(leaked, StringComparison.Ordinal));
    }
}
