using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Analytics.Models.Access;
using Microsoft.AspNetCore.Hosting;

namespace Analytics.Api.Tests.Access;

/// <summary>An API host whose captured log receives every message at every level (Trace and up, all categories).</summary>
public sealed class TracingApiFactory : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(CapturedLogs.CaptureEverything);
    }
}

/// <summary>Passwords, token secrets and TOTP keys appear neither in any log message nor anywhere in the database.</summary>
public class SecretsInLogsTests(TracingApiFactory api) : IClassFixture<TracingApiFactory>
{
    [Fact]
    public async Task a_whole_account_life_leaves_no_secret_in_the_logs_or_the_database()
    {
        // An administrator (second factor enrolled) creates a reviewer over HTTP.
        var adminAccount = await api.NewAccountAsync(["admin"]);
        var admin = api.CreateBrowser();
        await api.SignInAsync(admin, adminAccount);
        const string password = "Correct-Horse-7f3a9c-Battery";
        const string wrongPassword = "Wrong-Guess-51d2e8-Staple";
        var created = await admin.PostAsJsonAsync("/api/admin/accounts", new { userName = "scan-reviewer", displayName = "Relecture", password, roles = new[] { "reviewer" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        // A wrong password, then the real sign-in: password, enrolment, confirmation.
        var person = api.CreateBrowser();
        Assert.Equal(HttpStatusCode.Unauthorized, (await person.PostAsJsonAsync("/api/auth/sign-in", new { userName = "scan-reviewer", password = wrongPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await person.PostAsJsonAsync("/api/auth/sign-in", new { userName = "scan-reviewer", password })).StatusCode);
        var enrolment = await (await person.PostAsync("/api/auth/enrolment", null)).Content.ReadFromJsonAsync<JsonElement>();
        var totpKey = enrolment.GetProperty("secret").GetString()!;
        var otpauthUri = enrolment.GetProperty("provisioningUri").GetString()!;
        Assert.True(Base32.TryDecode(totpKey, out var rawKey));
        var account = (await api.Accounts.FindAsync("scan-reviewer"))!;
        var reviewer = new ApiFactory.TestAccount(account.Id, account.UserName, password, rawKey);
        Assert.Equal(HttpStatusCode.OK, (await person.PostAsJsonAsync("/api/auth/enrolment/confirm", new { code = await api.NextCodeAsync(reviewer) })).StatusCode);

        // A token issued from the session, then used by a script.
        await ApiFactory.UseAntiforgeryTokenAsync(person);
        var issued = await (await person.PostAsJsonAsync("/api/me/tokens", new { name = "notebook" })).Content.ReadFromJsonAsync<JsonElement>();
        var tokenSecret = issued.GetProperty("secret").GetString()!;
        var script = api.CreateClient();
        script.DefaultRequestHeaders.Authorization = new("Bearer", tokenSecret);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/me")).StatusCode);
        script.DefaultRequestHeaders.Authorization = new("Bearer", tokenSecret + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await person.PostAsync("/api/auth/sign-out", null)).StatusCode);

        var secrets = new Dictionary<string, string>
        {
            ["password"] = password,
            ["wrong password"] = wrongPassword,
            ["helpers' password"] = ApiFactory.Password,
            ["token secret"] = tokenSecret,
            ["token secret without its prefix"] = tokenSecret[Analytics.Jobs.Accounts.ApiTokenSecret.Prefix.Length..],
            ["TOTP key (Base32)"] = totpKey,
            ["TOTP key (raw, hex)"] = Convert.ToHexStringLower(rawKey),
            ["TOTP key (raw, base64)"] = Convert.ToBase64String(rawKey),
            ["otpauth URI"] = otpauthUri,
            ["admin's TOTP key (Base32)"] = Base32.Encode(adminAccount.TotpSecret!).TrimEnd('='),
            ["admin's TOTP key (raw, hex)"] = Convert.ToHexStringLower(adminAccount.TotpSecret!),
        };

        var logs = api.Logs.Entries;
        Assert.Contains(logs, e => e.Contains("[Debug]", StringComparison.Ordinal));   // the capture really is at every level
        Assert.Contains(logs, e => e.Contains("Second factor enrolled for scan-reviewer", StringComparison.Ordinal));
        foreach (var (what, secret) in secrets)
            Assert.False(logs.Any(e => e.Contains(secret, StringComparison.OrdinalIgnoreCase)), $"the {what} appears in the logs");

        var database = await DatabaseTextAsync();
        Assert.Contains("scan-reviewer", database);
        foreach (var (what, secret) in secrets)
            Assert.False(database.Contains(secret, StringComparison.OrdinalIgnoreCase), $"the {what} appears in the database");
    }

    /// <summary>Every row of every table (PostGIS's reference list of coordinate systems aside), as JSON text.</summary>
    private async Task<string> DatabaseTextAsync()
    {
        var tables = new List<string>();
        await using (var list = api.Database.DataSource.CreateCommand("""
            SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
              AND (table_schema, table_name) <> ('public', 'spatial_ref_sys')
            """))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        Assert.Contains("auth.account", tables);
        Assert.Contains("audit.event", tables); // the audit log records the sign-ins and account changes of the scenario: it is scanned too
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            await using var rows = api.Database.DataSource.CreateCommand($"SELECT row_to_json(t)::text FROM {table} t");
            await using var reader = await rows.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                text.AppendLine(reader.GetString(0));
        }
        return text.ToString();
    }
}
