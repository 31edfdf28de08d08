using Analytics.Jobs.Database;
using Npgsql;
using Xunit;

namespace Analytics.Testing;

/// <summary>
/// Class fixture: a fresh migrated PostGIS database for one test class, dropped afterwards.
/// Use with <c>IClassFixture&lt;PostgisDatabase&gt;</c>.
/// </summary>
public sealed class PostgisDatabase : IAsyncLifetime
{
    private NpgsqlDataSource? dataSource;
    private NpgsqlDataSource? ownerDataSource;

    /// <summary>The connection string of the application's role, which the code under test uses.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>A data source for this database as the application's role, built like the application's (NetTopologySuite enabled).</summary>
    public NpgsqlDataSource DataSource => dataSource ?? throw new InvalidOperationException("The database is not created yet.");

    /// <summary>A data source as the owner of the tables: for what the application may not do (DDL, disabling the audit log's triggers).</summary>
    public NpgsqlDataSource OwnerDataSource => ownerDataSource ?? throw new InvalidOperationException("The database is not created yet.");

    public async Task InitializeAsync()
    {
        ConnectionString = await TestDatabases.CreateAsync();
        dataSource = AnalyticsDatabase.CreateDataSource(ConnectionString);
        ownerDataSource = AnalyticsDatabase.CreateDataSource(TestDatabases.AsOwner(ConnectionString));
    }

    public async Task DisposeAsync()
    {
        if (dataSource is not null)
            await dataSource.DisposeAsync();
        if (ownerDataSource is not null)
            await ownerDataSource.DisposeAsync();
        if (ConnectionString.Length > 0)
            await TestDatabases.DropAsync(ConnectionString);
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The first row's two first columns; fails, naming the query, when there is no row.</summary>
    public async Task<(T1, T2)> FirstAsync<T1, T2>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
            throw new InvalidOperationException($"no row for: {sql}");
        return (reader.GetFieldValue<T1>(0), reader.GetFieldValue<T2>(1));
    }
}
