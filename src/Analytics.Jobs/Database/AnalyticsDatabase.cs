using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Analytics.Jobs.Database;

/// <summary>
/// Registers the one <see cref="NpgsqlDataSource"/> of the process, built once with the
/// NetTopologySuite plugin so geometry columns read and write as NTS geometries, and the migrator
/// (on the owner's connection when one is configured).
/// </summary>
public static class AnalyticsDatabase
{
    /// <summary>Service key of the owner role's data source, which only the migrator uses.</summary>
    public const string OwnerKey = "owner";

    public static IServiceCollection AddAnalyticsDatabase(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return CreateDataSource(options.ConnectionString, TimeSpan.FromSeconds(options.StatementTimeoutSeconds));
        });
        // Resolved only when an owner is configured; the container disposes it with the process.
        services.AddKeyedSingleton(OwnerKey, (sp, _) => CreateDataSource(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.OwnerConnectionString!));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var dataSource = options.HasOwner ? sp.GetRequiredKeyedService<NpgsqlDataSource>(OwnerKey) : sp.GetRequiredService<NpgsqlDataSource>();
            return new DatabaseMigrator(dataSource, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<DatabaseMigrator>>(), options.ApplicationRole);
        });
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    /// <param name="connectionString">Npgsql connection string.</param>
    /// <param name="statementTimeout">The server's bound on every statement (<see cref="DatabaseOptions.StatementTimeoutSeconds"/>); none: the server's own setting.</param>
    public static NpgsqlDataSource CreateDataSource(string connectionString, TimeSpan? statementTimeout = null)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (statementTimeout is { } timeout)
            builder.ConnectionStringBuilder.Options = $"{builder.ConnectionStringBuilder.Options} -c statement_timeout={(long)timeout.TotalMilliseconds}".Trim();
        builder.UseNetTopologySuite();
        builder.Name = "analytics";
        return builder.Build();
    }
}
