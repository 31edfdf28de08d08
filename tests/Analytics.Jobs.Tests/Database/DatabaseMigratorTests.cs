using Analytics.Jobs.Database;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Analytics.Jobs.Tests.Database;

public class DatabaseMigratorTests(PostgisDatabase db) : IClassFixture<PostgisDatabase>
{
    /// <summary>The migrator as deployed: as the owner, granting the application's role.</summary>
    private DatabaseMigrator Migrator(NpgsqlDataSource? dataSource = null) =>
        new(dataSource ?? db.OwnerDataSource, TimeProvider.System, NullLogger<DatabaseMigrator>.Instance, TestDatabases.ApplicationRole()?.Username);

    [Fact]
    public async Task a_test_database_starts_at_the_latest_migration_level_with_postgis()
    {
        var status = await Migrator().GetStatusAsync();
        Assert.True(status.IsReady);
        Assert.Equal(DatabaseMigrator.Known[^1].Version, status.AppliedLevel);
        Assert.Empty(status.Pending);
        Assert.True(status.Postgis >= DatabaseMigrator.MinimumPostgis);
    }

    [Fact]
    public async Task migrating_again_applies_nothing_and_keeps_the_history()
    {
        var before = await db.ScalarAsync<long>("SELECT count(*) FROM public.schema_migration");
        await Migrator().MigrateAsync();
        await Migrator().MigrateAsync();
        Assert.Equal(before, await db.ScalarAsync<long>("SELECT count(*) FROM public.schema_migration"));
        Assert.Equal(DatabaseMigrator.Known.Count, before);
    }

    [Fact]
    public async Task every_table_states_its_grain_in_a_comment()
    {
        var uncommented = await db.ScalarAsync<string[]>("""
            SELECT coalesce(array_agg(n.nspname || '.' || c.relname), '{}')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'hangfire', 'tiger', 'topology')
              AND NOT (n.nspname = 'public' AND c.relname = 'spatial_ref_sys')
              AND obj_description(c.oid, 'pg_class') IS NULL
            """);
        Assert.Empty(uncommented);
    }

    [Fact]
    public async Task a_migration_edited_after_it_was_applied_stops_migration_and_says_how_to_fix_it()
    {
        var connectionString = await TestDatabases.CreateAsync();
        try
        {
            await using var dataSource = AnalyticsDatabase.CreateDataSource(TestDatabases.AsOwner(connectionString));
            await using (var tamper = dataSource.CreateCommand("UPDATE public.schema_migration SET checksum = 'edited' WHERE version = 1"))
                await tamper.ExecuteNonQueryAsync();
            var error = await Assert.ThrowsAsync<DatabaseNotReadyException>(() => Migrator(dataSource).MigrateAsync());
            Assert.Contains("0001_schemas.sql was edited after it was applied", error.Message);
            Assert.Contains("new, higher-numbered migration", error.Message);
        }
        finally
        {
            await TestDatabases.DropAsync(connectionString);
        }
    }

    [Fact]
    public async Task a_database_migrated_by_a_newer_build_is_refused()
    {
        var connectionString = await TestDatabases.CreateAsync();
        try
        {
            await using var dataSource = AnalyticsDatabase.CreateDataSource(TestDatabases.AsOwner(connectionString));
            await using (var newer = dataSource.CreateCommand("INSERT INTO public.schema_migration VALUES (9999, 'future', 'x', now())"))
                await newer.ExecuteNonQueryAsync();
            var error = await Assert.ThrowsAsync<DatabaseNotReadyException>(() => Migrator(dataSource).MigrateAsync());
            Assert.Contains("9999", error.Message);
            Assert.Contains("newer build", error.Message);
        }
        finally
        {
            await TestDatabases.DropAsync(connectionString);
        }
    }

    [Fact]
    public async Task an_unreachable_server_is_reported_with_what_to_do()
    {
        await using var dataSource = AnalyticsDatabase.CreateDataSource("Host=127.0.0.1;Port=1;Username=x;Password=secret-value;Database=x;Timeout=3");
        var error = await Assert.ThrowsAsync<DatabaseNotReadyException>(() => Migrator(dataSource).MigrateAsync());
        Assert.Contains("Cannot reach PostgreSQL at", error.Message);
        Assert.Contains("scripts/pg.sh start", error.Message);
        Assert.DoesNotContain("secret-value", error.Message);
    }

    [Fact]
    public async Task a_database_without_postgis_is_either_given_it_or_refused_with_the_fix()
    {
        var server = TestDatabases.Server();
        var name = $"analytics_nopostgis_{Environment.ProcessId}";
        await using (var admin = new NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name}; CREATE DATABASE {name} TEMPLATE template0", admin);
            await create.ExecuteNonQueryAsync();
        }
        try
        {
            await using var dataSource = AnalyticsDatabase.CreateDataSource(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString);
            await using var superuser = dataSource.CreateCommand("SELECT rolsuper FROM pg_roles WHERE rolname = current_user");
            if ((bool)(await superuser.ExecuteScalarAsync())!)
            {
                var status = await Migrator(dataSource).MigrateAsync();
                Assert.True(status.Postgis >= DatabaseMigrator.MinimumPostgis);
            }
            else
            {
                var error = await Assert.ThrowsAsync<DatabaseNotReadyException>(() => Migrator(dataSource).MigrateAsync());
                Assert.Contains("CREATE EXTENSION postgis", error.Message);
            }
        }
        finally
        {
            await using var admin = new NpgsqlConnection(server.ConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
