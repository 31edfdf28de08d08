using Analytics.Jobs.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Analytics.Testing;

/// <summary>
/// Gives each test class a database of its own, cloned from a template that the current
/// migrations were applied to once. Cloning a template takes a fraction of a second; migrating
/// from scratch for each class would not.
/// </summary>
/// <remarks>
/// The server comes from <c>ANALYTICS_TEST_DATABASE</c> (a connection string to a database with
/// PostGIS, on a role allowed to create databases), which <c>scripts/test.sh</c> sets after starting
/// the private cluster. No server means failing tests with that explanation — never skipped ones.
/// That role owns every database and table, as the owner role does in production; the code under
/// test connects as the application's role of <c>ANALYTICS_TEST_APP_DATABASE</c> (its user name and
/// password are used), which the migrator grants what the application needs — or, without that
/// variable, as the owner too (a one-role deployment; the role separation tests then fail).
/// The template's name carries a hash of the migrations and of the application's role, so a changed
/// migration makes a new one.
/// </remarks>
public static class TestDatabases
{
    public const string Variable = "ANALYTICS_TEST_DATABASE";
    public const string ApplicationVariable = "ANALYTICS_TEST_APP_DATABASE";
    private const long TemplateLockKey = 0x7E57_7E57;
    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? templateName;
    private static int counter;

    public static NpgsqlConnectionStringBuilder Server()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value))
            throw new InvalidOperationException(
                $"{Variable} is not set, so the tests have no PostGIS to run against. Run the tests with 'scripts/test.sh', " +
                $"which installs and starts the private PostGIS cluster, or set {Variable} to a connection string for a database with PostGIS on a role with CREATEDB.");
        return new NpgsqlConnectionStringBuilder(value) { Pooling = false };
    }

    /// <summary>The application's role (user name and password) when one is configured, else null.</summary>
    public static NpgsqlConnectionStringBuilder? ApplicationRole()
    {
        var value = Environment.GetEnvironmentVariable(ApplicationVariable);
        return string.IsNullOrWhiteSpace(value) ? null : new NpgsqlConnectionStringBuilder(value);
    }

    /// <summary>Creates an empty, migrated database and returns the connection string the application uses on it.</summary>
    public static async Task<string> CreateAsync()
    {
        var template = await EnsureTemplateAsync();
        var name = $"analytics_t_{Environment.ProcessId}_{Interlocked.Increment(ref counter)}";
        await using var admin = await OpenAdminAsync();
        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        await ExecuteAsync(admin, $"CREATE DATABASE {name} TEMPLATE {template}");
        return AsApplication(name);
    }

    /// <summary>The same database, connected as the owner of its tables (for what the application may not do: DDL, tampering).</summary>
    public static string AsOwner(string connectionString) =>
        new NpgsqlConnectionStringBuilder(Server().ConnectionString) { Database = new NpgsqlConnectionStringBuilder(connectionString).Database, Pooling = true }.ConnectionString;

    private static string AsApplication(string database)
    {
        var builder = new NpgsqlConnectionStringBuilder(Server().ConnectionString) { Database = database, Pooling = true };
        if (ApplicationRole() is { } application)
            (builder.Username, builder.Password) = (application.Username, application.Password);
        return builder.ConnectionString;
    }

    public static async Task DropAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var admin = await OpenAdminAsync();
        if (!await ExistsAsync(admin, name))
            return;
        // Close the door first: a worker still retrying could otherwise reconnect between FORCE's kill and the drop.
        await ExecuteAsync(admin, $"ALTER DATABASE {name} ALLOW_CONNECTIONS false");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 6)
            {
                // 42501 "must be a member of the role whose process is being terminated": a server process of
                // another role (an autovacuum worker) is in the database, which a non-superuser may not end.
                // It leaves within seconds.
                await Task.Delay(TimeSpan.FromSeconds(attempt));
            }
        }
    }

    private static async Task<string> EnsureTemplateAsync()
    {
        await TemplateGate.WaitAsync();
        try
        {
            if (templateName is not null)
                return templateName;
            var role = ApplicationRole()?.Username;
            var hash = string.Concat(DatabaseMigrator.Known.Select(m => m.Checksum[..8])) + role;
            var name = $"analytics_tpl_{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(hash)))[..12]}";
            await using var admin = await OpenAdminAsync();
            // Test projects run in parallel processes: one builds the template, the others wait.
            await ExecuteAsync(admin, $"SELECT pg_advisory_lock({TemplateLockKey})");
            try
            {
                if (!await ExistsAsync(admin, name))
                {
                    var building = $"{name}_building_{Environment.ProcessId}";
                    await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {building} WITH (FORCE)");
                    await ExecuteAsync(admin, $"CREATE DATABASE {building} TEMPLATE {admin.Database}");
                    var connectionString = new NpgsqlConnectionStringBuilder(Server().ConnectionString) { Database = building }.ConnectionString;
                    await using (var dataSource = AnalyticsDatabase.CreateDataSource(connectionString))
                        await new DatabaseMigrator(dataSource, TimeProvider.System, NullLogger<DatabaseMigrator>.Instance, role).MigrateAsync();
                    // Built under another name and renamed when complete: a crash never leaves a half-migrated template.
                    await ExecuteAsync(admin, $"ALTER DATABASE {building} RENAME TO {name}");
                }
            }
            finally
            {
                await ExecuteAsync(admin, $"SELECT pg_advisory_unlock({TemplateLockKey})");
            }
            return templateName = name;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    private static async Task<NpgsqlConnection> OpenAdminAsync()
    {
        var server = Server();
        var connection = new NpgsqlConnection(server.ConnectionString);
        try
        {
            await connection.OpenAsync();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            await connection.DisposeAsync();
            throw new InvalidOperationException(
                $"Cannot reach the test PostGIS at {server.Host}:{server.Port} (database {server.Database}): {e.Message}. " +
                "Start it with 'scripts/pg.sh start' or run the tests through 'scripts/test.sh'.", e);
        }
        return connection;
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string database)
    {
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", connection);
        command.Parameters.Add(new() { Value = database });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
