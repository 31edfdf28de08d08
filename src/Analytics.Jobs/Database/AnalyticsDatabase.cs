using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Analytics.Jobs.Database;

/// <summary>
/// Registers the one <see cref="NpgsqlDataSource"/> of the process, built once with the
/// NetTopologySuite plugin so geometry columns read and write as NTS geometries.
/// </summary>
public static class AnalyticsDatabase
{
    public static IServiceCollection AddAnalyticsDatabase(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => CreateDataSource(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString));
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseNetTopologySuite();
        builder.Name = "analytics";
        return builder.Build();
    }
}
