using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Analytics.Jobs.Database;
using Analytics.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Analytics.Api.Tests.Platform;

public class PlatformTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task health_is_ready_with_the_postgis_version_and_the_latest_migration_level()
    {
        var response = await api.CreateClient().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        // This host runs no job worker and none other beats on its database: in rotation, but said.
        Assert.Equal("ready_without_workers", health.GetProperty("status").GetString());
        Assert.Equal(0, health.GetProperty("workers").GetInt32());
        Assert.Equal("reachable", health.GetProperty("jobStorage").GetString());
        Assert.StartsWith("3.", health.GetProperty("postgis").GetString());
        Assert.Equal(DatabaseMigrator.Known[^1].Version, health.GetProperty("migrationLevel").GetInt32());
    }

    [Fact]
    public async Task health_answers_503_within_its_deadline_when_the_database_hangs()
    {
        // Another session (the owner's: the application may not lock it) holds the migration table: the readiness
        // query waits on it as on a hung server.
        await using var connection = new Npgsql.NpgsqlConnection(TestDatabases.AsOwner(api.Database.ConnectionString));
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockTable = new Npgsql.NpgsqlCommand("LOCK TABLE public.schema_migration IN ACCESS EXCLUSIVE MODE", connection, transaction))
            await lockTable.ExecuteNonQueryAsync();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var response = await api.CreateClient().GetAsync("/health");
        clock.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"answered after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal("unreachable", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("database").GetString());
        await transaction.RollbackAsync();
        Assert.Equal(HttpStatusCode.OK, (await api.CreateClient().GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task swagger_ui_and_the_openapi_document_are_served_and_state_roles()
    {
        var client = api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/swagger/index.html")).StatusCode);
        var document = await client.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        var health = document.GetProperty("paths").GetProperty("/health").GetProperty("get");
        Assert.Contains("Roles: anyone", health.GetProperty("description").GetString());
        var accounts = document.GetProperty("paths").GetProperty("/api/admin/accounts").GetProperty("get");
        Assert.Contains("Roles: admin", accounts.GetProperty("description").GetString());
    }

    [Fact]
    public async Task errors_are_rfc9457_problem_documents()
    {
        var response = await api.CreateClient().GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
    }
}

public class StartupTests
{
    [Fact]
    public void start_up_stops_with_the_fix_when_the_database_is_unreachable()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Database:ConnectionString", "Host=127.0.0.1;Port=1;Username=x;Password=hidden-secret;Database=x;Timeout=3");
            b.UseSetting("Database:OwnerConnectionString", ""); // not the shell's (scripts/pg.sh env)
        });
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        var message = Flatten(error);
        Assert.Contains("Cannot reach PostgreSQL", message);
        Assert.Contains("scripts/pg.sh start", message);
        Assert.DoesNotContain("hidden-secret", message);
    }

    [Fact]
    public void start_up_stops_when_the_connection_string_is_missing_and_names_the_setting()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("Database:ConnectionString", ""));
        var message = Flatten(Assert.ThrowsAny<Exception>(() => factory.CreateClient()));
        Assert.Contains("Database__ConnectionString", message);
    }

    [Fact]
    public async Task health_answers_503_when_the_database_goes_away()
    {
        var connectionString = await TestDatabases.CreateAsync();
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Database:ConnectionString", connectionString);
            b.UseSetting("Database:OwnerConnectionString", ""); // not the shell's (scripts/pg.sh env)
            b.UseSetting("Jobs:RunWorkerInApi", "false");
        });
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        await TestDatabases.DropAsync(connectionString);
        var response = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unreachable", health.GetProperty("database").GetString());
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);
}
