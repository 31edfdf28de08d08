using Analytics.Api.Access;
using Analytics.Jobs.Accounts;
using Analytics.Jobs.Database;
using Analytics.Jobs.Scheduling;
using Analytics.Jobs.Telemetry;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Analytics.Api.Platform;

/// <summary>What every request and every area relies on: database, jobs, telemetry, errors, security headers, OpenAPI.</summary>
public static class PlatformSetup
{
    public static WebApplicationBuilder AddPlatform(this WebApplicationBuilder builder)
    {
        builder.Services.AddAnalyticsDatabase(builder.Configuration);
        builder.Services.AddAccounts(builder.Configuration);
        var runWorker = builder.Configuration.GetSection(JobsOptions.Section).Get<JobsOptions>()?.RunWorkerInApi ?? new JobsOptions().RunWorkerInApi;
        builder.Services.AddAnalyticsJobs(builder.Configuration, withWorker: runWorker);
        // Traces and metrics (docs/operations.md, Observability); admins scrape /metrics (AdminApi).
        builder.Services.AddAnalyticsTelemetry(builder.Configuration, "analytics-api")
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation())
            .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddPrometheusExporter());
        builder.Services.AddOptions<ContactOptions>().Bind(builder.Configuration.GetSection(ContactOptions.Section));
        builder.Services.AddOptions<Ingest.UploadOptions>().Bind(builder.Configuration.GetSection(Ingest.UploadOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        // RFC 9457 problem responses for every error, including the framework's own 401/403/404.
        builder.Services.AddSingleton<Territories.TilesApi.TileCache>();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<KnownErrorHandler>();
        // A body or parameter that cannot be read answers 400 naming the parameter, in every environment (not an empty 400).
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new ControlCharacters.JsonText()));

        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "One Health territorial analytics",
                Version = "v1",
                Description = "Indicateurs territoriaux, priorités de prévention et audits d'équité — API. " +
                              "Authenticate with a personal API token: Authorization: Bearer oht_…",
            });
            swagger.AddSecurityDefinition(ApiTokenDefaults.Scheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "Personal API token (issue one with POST /api/me/tokens or 'analytics-jobs user token'), " +
                              "or, when Access:Oidc is configured, an access token from the identity provider.",
            });
            swagger.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(ApiTokenDefaults.Scheme, document)] = [],
            });
            swagger.OperationFilter<RolesOperationFilter>();
        });
        return builder;
    }

    /// <summary>
    /// Checks PostGIS and applies migrations before the first request. A database that cannot be
    /// used stops start-up with the reason and the fix, rather than serving errors.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        // Resolve options first so an invalid setting is reported as such, not as a database failure.
        _ = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        try
        {
            await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
        }
        catch (DatabaseNotReadyException e)
        {
            app.Logger.LogCritical("Start-up stopped: {Reason}", e.Message);
            throw;
        }
    }

    public static WebApplication UsePlatform(this WebApplication app)
    {
        app.UseSecurityHeaders();   // first, so that every response carries them, errors included
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseControlCharacterRefusal();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        // The job dashboard speaks the product's first language (Hangfire ships French words) and says so in <html lang>.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/hangfire"), dashboard => dashboard.UseRequestLocalization("fr-FR"));
        // The API description is public: it documents the roles each route needs, it reveals no data.
        app.UseSwagger();
        app.UseSwaggerUI(ui =>
        {
            ui.DocumentTitle = "One Health territorial analytics — API";
            ui.InjectStylesheet("/tools/swagger-contrast.css");
        });
        app.UseAccess();   // rate limits, authentication, anti-forgery, authorisation
        return app;
    }
}
