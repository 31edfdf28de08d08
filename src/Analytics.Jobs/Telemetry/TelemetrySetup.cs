using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Analytics.Jobs.Telemetry;

/// <summary>
/// OpenTelemetry for every process of the product (the API, the standalone worker): traces of
/// database commands, metrics of the database client, the .NET runtime and the pipeline's stages
/// (<see cref="StageMetrics"/>). Nothing leaves the process unless <see cref="OtlpEndpointKey"/> is
/// set; the API adds its HTTP instrumentation and the admins' Prometheus endpoint on top.
/// </summary>
public static class TelemetrySetup
{
    /// <summary>
    /// The OTLP collector to send traces and metrics to, read from the environment variable of the
    /// same name (the OpenTelemetry standard) or from appsettings. Unset by default: no host is called.
    /// </summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Registers the shared instrumentation; the caller adds its own to the builder returned.</summary>
    /// <param name="services">The process's services.</param>
    /// <param name="configuration">Read for <see cref="OtlpEndpointKey"/> and the OTLP exporter's own settings.</param>
    /// <param name="serviceName">The process, as traces and metrics name it (<c>service.name</c>).</param>
    public static OpenTelemetryBuilder AddAnalyticsTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing.AddNpgsql())
            .WithMetrics(metrics => metrics.AddNpgsqlInstrumentation().AddRuntimeInstrumentation().AddMeter(StageMetrics.MeterName));
        // The exporter reads the endpoint, and OTEL_EXPORTER_OTLP_PROTOCOL and _HEADERS when set, from the configuration itself.
        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]))
            telemetry.WithTracing(tracing => tracing.AddOtlpExporter()).WithMetrics(metrics => metrics.AddOtlpExporter());
        return telemetry;
    }
}
