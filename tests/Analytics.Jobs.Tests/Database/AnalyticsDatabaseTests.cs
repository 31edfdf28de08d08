using System.Diagnostics;
using Analytics.Jobs.Database;
using Analytics.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Analytics.Jobs.Tests.Database;

public class AnalyticsDatabaseTests(PostgisDatabase db) : IClassFixture<PostgisDatabase>
{
    private NpgsqlDataSource ApplicationDataSource(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))
                .Append(KeyValuePair.Create("Database:ConnectionString", (string?)db.ConnectionString)))
            .Build();
        return new ServiceCollection().AddAnalyticsDatabase(configuration).BuildServiceProvider().GetRequiredService<NpgsqlDataSource>();
    }

    [Fact]
    public async Task a_statement_without_a_driver_timeout_is_still_bounded_by_the_configured_server_timeout()
    {
        await using var dataSource = ApplicationDataSource(("Database:StatementTimeoutSeconds", "1"));
        await using var command = dataSource.CreateCommand("SELECT pg_sleep(4)");
        command.CommandTimeout = 0;
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.QueryCanceled, error.SqlState);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3.5), $"cancelled after {watch.Elapsed}, not at the 1 s bound");
    }

    [Fact]
    public async Task the_server_timeout_is_thirty_minutes_unless_configured()
    {
        await using var dataSource = ApplicationDataSource();
        await using var command = dataSource.CreateCommand("SHOW statement_timeout");
        Assert.Equal("30min", await command.ExecuteScalarAsync());
    }
}
