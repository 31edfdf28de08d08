using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Analytics.Jobs.Database;

/// <summary>
/// Brings a database to the level this build expects: checks PostGIS, applies the numbered
/// SQL migrations embedded in the assembly that are not yet recorded in
/// <c>public.schema_migration</c>, installs Hangfire's schema, and grants the application's role
/// what it needs (<c>Database/Sql/application_role.sql</c>).
/// </summary>
/// <remarks>
/// <para><paramref name="dataSource"/> connects as the role that migrates: the owner of the schemas,
/// or the application's own role when no owner is configured. <paramref name="applicationRole"/> is
/// the role the application connects as, when it is another. Connected as a role that may not
/// create in the database (the application's role, on a deployment whose owner migrates), it
/// changes nothing: it checks the level and refuses to start a database that is behind.</para>
/// <para>Logs a warning when the application's role owns the audit log's tables: it could then
/// switch their triggers off (docs/operations.md, "Database").</para>
/// <para>Safe to run from several processes at once (an advisory lock serialises them) and as often
/// as wanted (applied migrations are skipped). Each migration runs in its own transaction with
/// the row that records it, so a failure leaves the database at the previous level.
/// A migration edited after it was applied stops the run: migrations are history, add a new one.</para>
/// </remarks>
public sealed class DatabaseMigrator(NpgsqlDataSource dataSource, TimeProvider clock, ILogger<DatabaseMigrator> logger, string? applicationRole = null)
{
    /// <summary>The oldest PostGIS this code is written for (ST_AsMVT with protobuf, ST_MakeValid options).</summary>
    public static readonly Version MinimumPostgis = new(3, 3);

    public const string HangfireSchema = "hangfire";

    private const long MigrationLockKey = 0x0A11_A1F1C5;

    /// <summary>All migrations this build carries, in the order they apply.</summary>
    public static IReadOnlyList<Migration> Known { get; } = LoadEmbeddedMigrations();

    /// <summary>The level a database reaches once every known migration is applied.</summary>
    public static int LatestLevel => Known.Count == 0 ? 0 : Known[^1].Version;

    public async Task<DatabaseStatus> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using (var command = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", connection))
            await command.ExecuteNonQueryAsync(cancellationToken);
        try
        {
            if (!await MayChangeSchemaAsync(connection, cancellationToken))
                return await CheckMigratedAsync(connection, cancellationToken);
            var postgis = await EnsurePostgisAsync(connection, cancellationToken);
            await EnsureHistoryTableAsync(connection, cancellationToken);
            var applied = await ReadAppliedAsync(connection, cancellationToken);
            CheckNoAppliedMigrationChanged(applied);
            foreach (var migration in Known.Where(m => !applied.ContainsKey(m.Version)))
            {
                await ApplyAsync(connection, migration, cancellationToken);
                logger.LogInformation("Applied migration {Version:D4} {Name}", migration.Version, migration.Name);
            }
            PostgreSqlObjectsInstaller.Install(connection, HangfireSchema);
            if (applicationRole is not null)
                await GrantApplicationRoleAsync(connection, applicationRole, cancellationToken);
            await WarnUnlessRolesSeparatedAsync(connection, cancellationToken);
            return new DatabaseStatus(postgis, LatestLevel, LatestLevel, []);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", connection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private static async Task<bool> MayChangeSchemaAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT has_database_privilege(current_database(), 'CREATE')", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The application's role at start-up: nothing to change, or a refusal that says who must migrate.</summary>
    private async Task<DatabaseStatus> CheckMigratedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var status = await ReadStatusAsync(connection, cancellationToken);
        if (status.AppliedLevel > 0)
            CheckNoAppliedMigrationChanged(await ReadAppliedAsync(connection, cancellationToken));
        if (!status.IsReady || status.Postgis < MinimumPostgis)
            throw new DatabaseNotReadyException(
                $"The database is at migration level {status.AppliedLevel} of {status.ExpectedLevel} (PostGIS {status.Postgis?.ToString() ?? "not enabled"}), " +
                $"and role '{connection.UserName}' may not change its schema: it is the application's role. Migrate as the owner of the schemas: " +
                "'analytics-jobs db migrate' with Database__OwnerConnectionString set (docs/operations.md, \"Database\").");
        await WarnUnlessRolesSeparatedAsync(connection, cancellationToken);
        return status;
    }

    private static async Task GrantApplicationRoleAsync(NpgsqlConnection connection, string role, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var name = new NpgsqlCommand("SELECT set_config('analytics.application_role', $1, true)", connection, transaction))
        {
            name.Parameters.Add(new() { Value = role });
            await name.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            await using var grant = new NpgsqlCommand(StageSql.Load("Database/Sql/application_role.sql"), connection, transaction);
            await grant.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e)
        {
            throw new DatabaseNotReadyException($"Granting the application's role '{role}' its rights failed: {e.MessageText}", e);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Whoever owns the audit log's tables (or is a superuser) can disable their triggers; the
    /// application's role should not. Said at every start-up, so a single-role deployment knows.
    /// </summary>
    private async Task WarnUnlessRolesSeparatedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT role::text, pg_has_role(role, relowner, 'USAGE') FROM pg_class, coalesce($1::name, current_user) AS role WHERE oid = 'audit.event'::regclass", connection);
        command.Parameters.Add(new() { Value = (object?)applicationRole ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        string role;
        bool owns;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (role, owns) = (reader.GetString(0), reader.GetBoolean(1));
        }
        if (owns)
            logger.LogWarning(
                "Database roles are not separated: the application's role '{Role}' owns the audit log's tables (or is a superuser), so it could switch their triggers off. " +
                "Give the application a role without DDL and migrate as the owner with Database:OwnerConnectionString (docs/operations.md, \"Database\").", role);
        else
            logger.LogInformation("Database roles are separated: the application's role '{Role}' has no DDL and may only read and append to the audit log", role);
    }

    /// <summary>Reads the database's level without changing anything.</summary>
    public async Task<DatabaseStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await ReadStatusAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            // A connection lost between open and query (server restarted, database dropped) is the same news as no connection.
            throw Unreachable(e);
        }
    }

    private async Task<DatabaseStatus> ReadStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadStatusAsync(connection, cancellationToken);
    }

    private static async Task<DatabaseStatus> ReadStatusAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var postgis = await ReadPostgisVersionAsync(connection, cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT to_regclass('public.schema_migration') IS NOT NULL", connection);
        var applied = (bool)(await exists.ExecuteScalarAsync(cancellationToken))!
            ? await ReadAppliedAsync(connection, cancellationToken)
            : new Dictionary<int, string>();
        var pending = Known.Where(m => !applied.ContainsKey(m.Version)).Select(m => m.FileName).ToList();
        return new DatabaseStatus(postgis, applied.Count == 0 ? 0 : applied.Keys.Max(), LatestLevel, pending);
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw Unreachable(e);
        }
    }

    private DatabaseNotReadyException Unreachable(Exception e) => new(
        $"Cannot reach PostgreSQL at {DatabaseOptions.Redact(dataSource.ConnectionString)}: {e.Message}. " +
        "Start the private cluster with 'scripts/pg.sh start', or point Database__ConnectionString (and Database__OwnerConnectionString) at a running server.", e);

    private static async Task<Version?> ReadPostgisVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT extversion FROM pg_extension WHERE extname = 'postgis'", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is string text ? ParseVersion(text) : null;
    }

    private async Task<Version> EnsurePostgisAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var installed = await ReadPostgisVersionAsync(connection, cancellationToken);
        if (installed is null)
        {
            await using var available = new NpgsqlCommand("SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'", connection);
            if ((long)(await available.ExecuteScalarAsync(cancellationToken))! == 0)
                throw new DatabaseNotReadyException(
                    $"PostGIS is not installed on the PostgreSQL server of database '{connection.Database}'. " +
                    "Install it (Debian: apt-get install postgresql-15-postgis-3) or use the private cluster of scripts/pg.sh, which installs it.");
            try
            {
                await using var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS postgis", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                throw new DatabaseNotReadyException(
                    $"The PostGIS extension is not enabled in database '{connection.Database}' and this account may not enable it. " +
                    $"Ask a superuser to run: CREATE EXTENSION postgis; in that database.", e);
            }
            logger.LogInformation("Enabled the PostGIS extension in {Database}", connection.Database);
            installed = (await ReadPostgisVersionAsync(connection, cancellationToken))!;
        }
        if (installed < MinimumPostgis)
            throw new DatabaseNotReadyException(
                $"PostGIS {installed} is too old: this build needs PostGIS {MinimumPostgis} or newer. " +
                "Upgrade the server's PostGIS package, then run ALTER EXTENSION postgis UPDATE;");
        return installed;
    }

    private static async Task EnsureHistoryTableAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var sql = StageSql.Load("Database/Sql/schema_migration.sql");
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM public.schema_migration", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            applied[reader.GetInt32(0)] = reader.GetString(1);
        return applied;
    }

    private static void CheckNoAppliedMigrationChanged(Dictionary<int, string> applied)
    {
        foreach (var migration in Known)
        {
            if (applied.TryGetValue(migration.Version, out var checksum) && checksum != migration.Checksum)
                throw new DatabaseNotReadyException(
                    $"Migration {migration.FileName} was edited after it was applied to this database. " +
                    "Restore its original text and put the change in a new, higher-numbered migration.");
        }
        var unknown = applied.Keys.Except(Known.Select(m => m.Version)).Order().ToList();
        if (unknown.Count > 0)
            throw new DatabaseNotReadyException(
                $"This database has migration(s) {string.Join(", ", unknown)} that this build does not know: it was migrated by a newer build. Run that build, or use another database.");
    }

    private async Task ApplyAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using (var script = new NpgsqlCommand(migration.Sql, connection, transaction))
                await script.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e)
        {
            throw new DatabaseNotReadyException($"Migration {migration.FileName} failed at position {e.Position}: {e.MessageText}", e);
        }
        await using (var record = new NpgsqlCommand(
            "INSERT INTO public.schema_migration (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)", connection, transaction))
        {
            record.Parameters.Add(new() { Value = migration.Version });
            record.Parameters.Add(new() { Value = migration.Name });
            record.Parameters.Add(new() { Value = migration.Checksum });
            record.Parameters.Add(new() { Value = clock.GetUtcNow() });
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static Version ParseVersion(string text)
    {
        var digits = new string(text.TakeWhile(c => char.IsDigit(c) || c == '.').ToArray());
        return Version.TryParse(digits.Contains('.') ? digits : digits + ".0", out var version) ? version : new Version(0, 0);
    }

    private static List<Migration> LoadEmbeddedMigrations()
    {
        var assembly = typeof(DatabaseMigrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("migrations/", StringComparison.Ordinal)))
        {
            var fileName = resource["migrations/".Length..];
            var separator = fileName.IndexOf('_');
            if (separator <= 0 || !int.TryParse(fileName[..separator], out var version))
                throw new InvalidOperationException($"Migration file '{fileName}' must be named NNNN_description.sql.");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var sql = reader.ReadToEnd();
            var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));
            migrations.Add(new Migration(version, Path.GetFileNameWithoutExtension(fileName)[(separator + 1)..], fileName, sql, checksum));
        }
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"Two migrations share number {duplicate.Key:D4}: {string.Join(", ", duplicate.Select(m => m.FileName))}.");
        return migrations.OrderBy(m => m.Version).ToList();
    }
}

/// <summary>One numbered SQL migration file.</summary>
public sealed record Migration(int Version, string Name, string FileName, string Sql, string Checksum);

/// <summary>What a database holds: its PostGIS version and migration level.</summary>
public sealed record DatabaseStatus(Version? Postgis, int AppliedLevel, int ExpectedLevel, IReadOnlyList<string> Pending)
{
    public bool IsReady => Postgis is not null && Pending.Count == 0;
}
