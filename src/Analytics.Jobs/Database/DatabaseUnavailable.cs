using Npgsql;

namespace Analytics.Jobs.Database;

/// <summary>
/// Recognises the errors that mean "the database cannot be reached right now" — as opposed to a query or data
/// error — so that callers answer "try again later" (HTTP 503) instead of failing as if the request were wrong.
/// </summary>
/// <remarks>
/// Counted as unavailable, anywhere in the exception's chain of inner exceptions:
/// <list type="bullet">
/// <item><see cref="DatabaseNotReadyException"/> (start-up and health checks);</item>
/// <item>a server answer of class <c>08</c> (connection exception), <c>57P01</c>–<c>57P03</c> (shutting down, crashed,
/// starting up), <c>53300</c> (too many connections), <c>3D000</c> (the database no longer exists) or <c>28000</c>/<c>28P01</c>
/// (the service's own credentials refused);</item>
/// <item>an <see cref="NpgsqlException"/> that Npgsql itself classes as transient without a server answer: a socket,
/// I/O or time-out failure (server down, connection dropped mid-query, pool exhausted).</item>
/// </list>
/// Serialization failures and deadlocks are transient too, but the database is up: they are not counted here.
/// </remarks>
public static class DatabaseUnavailable
{
    /// <summary>Seconds a client is told to wait before retrying (<c>Retry-After</c>).</summary>
    public const int RetryAfterSeconds = 30;

    public static bool Is(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DatabaseNotReadyException:
                    return true;
                case PostgresException server:
                    return IsUnavailableState(server.SqlState);
                case NpgsqlException { IsTransient: true }:
                    return true;
            }
        }
        return false;
    }

    private static bool IsUnavailableState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.InvalidCatalogName
            or PostgresErrorCodes.InvalidAuthorizationSpecification or PostgresErrorCodes.InvalidPassword;
}
