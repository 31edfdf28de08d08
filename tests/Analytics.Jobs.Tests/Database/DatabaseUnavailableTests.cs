using Analytics.Jobs.Database;
using Analytics.Testing;
using Npgsql;

namespace Analytics.Jobs.Tests.Database;

/// <summary>Which real failures count as "the database is out of reach" (503 over HTTP) and which are the request's own.</summary>
public class DatabaseUnavailableTests
{
    private static async Task<Exception> FailureOfAsync(string connectionString, string sql = "SELECT 1")
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteScalarAsync();
        }
        catch (Exception e)
        {
            return e;
        }
        throw new InvalidOperationException($"'{sql}' did not fail");
    }

    [Fact]
    public async Task a_closed_port_is_unavailable()
    {
        var failure = await FailureOfAsync(new NpgsqlConnectionStringBuilder(TestDatabases.Server().ConnectionString) { Host = "127.0.0.1", Port = 1, Timeout = 3 }.ConnectionString);
        Assert.True(DatabaseUnavailable.Is(failure), failure.ToString());
        Assert.True(DatabaseUnavailable.Is(new InvalidOperationException("while reading", failure)));
    }

    [Fact]
    public async Task a_database_that_no_longer_exists_is_unavailable()
    {
        var failure = await FailureOfAsync(new NpgsqlConnectionStringBuilder(TestDatabases.Server().ConnectionString) { Database = "analytics_gone_" + Guid.NewGuid().ToString("N") }.ConnectionString);
        Assert.Equal(PostgresErrorCodes.InvalidCatalogName, Assert.IsType<PostgresException>(failure).SqlState);
        Assert.True(DatabaseUnavailable.Is(failure));
    }

    [Theory]
    [InlineData("SELECT FROM")]                  // syntax error
    [InlineData("SELECT 1/0")]                   // division by zero
    [InlineData("SELECT 'a' || chr(0)")]         // a NUL the server cannot store
    public async Task an_error_of_the_query_itself_is_not(string sql)
    {
        var failure = await FailureOfAsync(TestDatabases.Server().ConnectionString, sql);
        Assert.IsType<PostgresException>(failure);
        Assert.False(DatabaseUnavailable.Is(failure));
    }

    [Fact]
    public void the_start_up_check_failing_is_unavailable_and_an_unrelated_error_is_not()
    {
        Assert.True(DatabaseUnavailable.Is(new DatabaseNotReadyException("Cannot reach PostgreSQL")));
        Assert.False(DatabaseUnavailable.Is(new InvalidOperationException("a bug")));
    }
}
