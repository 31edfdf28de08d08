using System.Collections.Concurrent;
using Analytics.Jobs.AuditTrail;
using Analytics.Models.AuditTrail;
using Analytics.Jobs.Database;
using Analytics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Analytics.Jobs.Tests.Database;

/// <summary>
/// Two roles (docs/operations.md, "Database"): the owner migrates; the application connects as a
/// role without DDL that may only read and append to the audit log — so it cannot switch the log's
/// triggers off, as the owner could. The tests' own connections are the application's
/// (<c>ANALYTICS_TEST_APP_DATABASE</c>); without that variable these tests fail, saying so.
/// </summary>
public class RoleSeparationTests(PostgisDatabase db) : IClassFixture<PostgisDatabase>
{
    private static string ApplicationRole => TestDatabases.ApplicationRole()?.Username
        ?? throw new InvalidOperationException($"{TestDatabases.ApplicationVariable} is not set: the tests have no application role to connect as. Run them through scripts/test.sh, or set it to a connection string of a role without DDL (scripts/pg.sh env prints one).");

    private static string OwnerRole => TestDatabases.Server().Username!;

    [Fact]
    public async Task the_code_under_test_connects_as_the_application_role_which_is_not_the_owner()
    {
        Assert.Equal(ApplicationRole, await db.ScalarAsync<string>("SELECT current_user::text"));
        Assert.NotEqual(OwnerRole, ApplicationRole);
        Assert.Equal(OwnerRole, await db.ScalarAsync<string>("SELECT pg_get_userbyid(relowner)::text FROM pg_class WHERE oid = 'audit.event'::regclass"));
        Assert.False(await db.ScalarAsync<bool>("SELECT rolsuper OR rolcreatedb OR rolcreaterole FROM pg_roles WHERE rolname = current_user"));
    }

    [Theory]
    [InlineData("ALTER TABLE audit.event DISABLE TRIGGER ALL")]
    [InlineData("ALTER TABLE audit.event DISABLE TRIGGER USER")]
    [InlineData("ALTER TABLE audit.event DISABLE TRIGGER event_no_update")]
    [InlineData("DROP TRIGGER event_no_update ON audit.event")]
    [InlineData("DROP TRIGGER event_purge_only ON audit.event")]
    [InlineData("DROP TABLE audit.event")]
    [InlineData("ALTER TABLE audit.event RENAME TO event_old")]
    [InlineData("CREATE OR REPLACE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$")]
    [InlineData("ALTER FUNCTION audit.purge_through(bigint, bytea, timestamptz, timestamptz) SECURITY INVOKER")]
    [InlineData("UPDATE audit.event SET actor = 'someone else'")]
    [InlineData("DELETE FROM audit.event")]
    [InlineData("TRUNCATE audit.event")]
    [InlineData("INSERT INTO audit.chain_anchor VALUES (1, '\\x00', now(), now(), 1, now())")]
    [InlineData("DELETE FROM audit.chain_anchor")]
    public async Task the_application_role_cannot_change_remove_or_unprotect_the_audit_log(string sql)
    {
        await AppendAsync(new AuditEntry("tester", AuditKinds.Export, "release:1"));
        var error = await RefusedAsync(sql);
        Assert.True(error.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {error.SqlState} {error.MessageText}");
        Assert.True((await Log().VerifyAsync()).IsIntact);
    }

    [Theory]
    [InlineData("CREATE TABLE features.scratch (x int)")]
    [InlineData("CREATE TABLE audit.shadow (x int)")]
    [InlineData("CREATE TABLE public.scratch (x int)")]
    [InlineData("CREATE TABLE hangfire.scratch (x int)")]
    [InlineData("CREATE SCHEMA scratch")]
    [InlineData("ALTER TABLE facts.health_count ADD COLUMN x int")]
    [InlineData("DROP TABLE auth.account")]
    [InlineData("CREATE INDEX ON ml.model_run (id)")]
    [InlineData("CREATE VIEW review.scratch AS SELECT 1")]
    [InlineData("CREATE FUNCTION ops.scratch() RETURNS int LANGUAGE sql AS 'SELECT 1'")]
    [InlineData("TRUNCATE auth.account")]
    [InlineData("ALTER TABLE hangfire.job DISABLE TRIGGER ALL")]
    public async Task the_application_role_has_no_ddl(string sql)
    {
        var error = await RefusedAsync(sql);
        Assert.True(error.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {error.SqlState} {error.MessageText}");
    }

    [Fact]
    public async Task the_application_role_appends_to_the_audit_log_through_the_product_and_reads_it()
    {
        var first = await AppendAsync(new AuditEntry("tester", AuditKinds.ReviewApprove, "release:7"));
        var second = await AppendAsync(new AuditEntry(AuditEntry.SystemActor, AuditKinds.Export, "audit:events"));
        Assert.Equal(first.Sequence + 1, second.Sequence);
        Assert.True((await Log().VerifyAsync()).IsIntact);
        Assert.True(await db.ScalarAsync<bool>("SELECT has_table_privilege('audit.event', 'INSERT') AND has_table_privilege('audit.event', 'SELECT')"));
    }

    [Fact]
    public async Task the_application_role_reads_and_writes_the_rows_of_every_other_table_and_uses_every_sequence()
    {
        var missing = await db.ScalarAsync<string[]>("""
            SELECT coalesce(array_agg(n.nspname || '.' || c.relname ORDER BY 1), '{}')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspowner = c.relowner AND pg_get_userbyid(c.relowner) = $1
              AND n.nspname NOT IN ('public', 'audit') AND n.nspname NOT LIKE 'pg\_%'
              AND ((c.relkind IN ('r', 'p') AND NOT (has_table_privilege(c.oid, 'SELECT') AND has_table_privilege(c.oid, 'INSERT')
                                                     AND has_table_privilege(c.oid, 'UPDATE') AND has_table_privilege(c.oid, 'DELETE')))
                   OR (c.relkind = 'S' AND NOT has_sequence_privilege(c.oid, 'USAGE')))
            """, OwnerRole);
        Assert.Empty(missing);
        Assert.Contains("hangfire", await db.ScalarAsync<string[]>("SELECT array_agg(nspname::text) FROM pg_namespace WHERE has_schema_privilege(oid, 'USAGE')"));
    }

    [Fact]
    public async Task the_owner_migrates_a_new_database_and_the_application_role_then_starts_on_it_without_ddl()
    {
        await WithEmptyDatabaseAsync(async (owner, application) =>
        {
            var logs = new CapturingLogger();
            var migrated = await new DatabaseMigrator(owner, TimeProvider.System, logs, ApplicationRole).MigrateAsync();
            Assert.True(migrated.IsReady);
            Assert.Equal(DatabaseMigrator.LatestLevel, migrated.AppliedLevel);
            Assert.Contains(logs.Entries, e => e.Contains("roles are separated"));
            Assert.DoesNotContain(logs.Entries, e => e.StartsWith("Warning", StringComparison.Ordinal));
            // Migrating again as the owner applies nothing and refuses nothing.
            Assert.True((await new DatabaseMigrator(owner, TimeProvider.System, logs, ApplicationRole).MigrateAsync()).IsReady);

            var started = await new DatabaseMigrator(application, TimeProvider.System, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
            Assert.True(started.IsReady);

            // A database a newer build migrated is refused to the application's role as to the owner.
            await using (var newer = owner.CreateCommand("INSERT INTO public.schema_migration VALUES (9999, 'future', 'x', now())"))
                await newer.ExecuteNonQueryAsync();
            var error = await Assert.ThrowsAsync<DatabaseNotReadyException>(() =>
                new DatabaseMigrator(application, TimeProvider.System, NullLogger<DatabaseMigrator>.Instance).MigrateAsync());
            Assert.Contains("newer build", error.Message);
        });
    }

    [Fact]
    public async Task the_application_role_refuses_to_start_on_a_database_the_owner_has_not_migrated_and_says_who_must()
    {
        await WithEmptyDatabaseAsync(async (_, application) =>
        {
            var error = await Assert.ThrowsAsync<DatabaseNotReadyException>(() =>
                new DatabaseMigrator(application, TimeProvider.System, NullLogger<DatabaseMigrator>.Instance).MigrateAsync());
            Assert.Contains($"role '{ApplicationRole}' may not change its schema", error.Message);
            Assert.Contains("Database__OwnerConnectionString", error.Message);
        });
    }

    [Fact]
    public async Task one_role_for_everything_still_migrates_but_warns_that_it_could_switch_the_audit_triggers_off()
    {
        var logs = new CapturingLogger();
        var status = await new DatabaseMigrator(db.OwnerDataSource, TimeProvider.System, logs).MigrateAsync();
        Assert.True(status.IsReady);
        Assert.Contains(logs.Entries, e => e.StartsWith("Warning", StringComparison.Ordinal)
                                           && e.Contains($"roles are not separated: the application's role '{OwnerRole}' owns the audit log's tables"));
    }

    [Fact]
    public void the_options_take_the_application_role_from_the_application_connection_string_only_when_an_owner_is_set()
    {
        var separated = new DatabaseOptions { ConnectionString = "Host=h;Username=app;Database=d", OwnerConnectionString = "Host=h;Username=owner;Database=d" };
        Assert.Equal("app", separated.ApplicationRole);
        Assert.Null(new DatabaseOptions { ConnectionString = "Host=h;Username=app;Database=d" }.ApplicationRole);
    }

    private AuditLog Log() => new(db.DataSource, TimeProvider.System, Options.Create(new AuditOptions()));

    private async Task<AuditEvent> AppendAsync(AuditEntry entry)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return await Log().AppendAsync(connection, null, entry);
    }

    private async Task<PostgresException> RefusedAsync(string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        return await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
    }

    /// <summary>A database with PostGIS and nothing else, made by the owner; both roles' data sources on it.</summary>
    private static async Task WithEmptyDatabaseAsync(Func<NpgsqlDataSource, NpgsqlDataSource, Task> body)
    {
        var server = TestDatabases.Server();
        var name = $"analytics_roles_{Environment.ProcessId}";
        await using (var admin = new NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using var create = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE); CREATE DATABASE {name} TEMPLATE {server.Database}", admin);
                    await create.ExecuteNonQueryAsync();
                    break;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
                {
                    // Another test process's short connection to the server database: copying it waits until it leaves.
                    await Task.Delay(TimeSpan.FromMilliseconds(250));
                }
            }
        }
        var owner = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name };
        var application = new NpgsqlConnectionStringBuilder(owner.ConnectionString) { Username = ApplicationRole, Password = TestDatabases.ApplicationRole()!.Password };
        try
        {
            await using var ownerSource = AnalyticsDatabase.CreateDataSource(owner.ConnectionString);
            await using var applicationSource = AnalyticsDatabase.CreateDataSource(application.ConnectionString);
            await body(ownerSource, applicationSource);
        }
        finally
        {
            await TestDatabases.DropAsync(owner.ConnectionString);
        }
    }

    private sealed class CapturingLogger : ILogger<DatabaseMigrator>
    {
        private readonly ConcurrentQueue<string> entries = new();

        public IReadOnlyList<string> Entries => [.. entries];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
