using Analytics.Api.Access;
using Analytics.Jobs.Accounts;
using Analytics.Jobs.Scheduling;
using Analytics.Models.Access;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Api.Admin;

/// <summary>Account administration, job checks and the metrics scrape, for administrators (and stewards for jobs).</summary>
public static class AdminApi
{
    public sealed record NewAccountRequest(string? UserName, string? DisplayName, string? Password, IReadOnlyList<string>? Roles);
    public sealed record RolesRequest(IReadOnlyList<string>? Roles);
    public sealed record JobAccepted(string JobId);

    /// <summary>The dashboard's contrast fixes, added once per process (Hangfire's configuration is global).</summary>
    private static readonly Lazy<bool> DashboardStyle = new(() =>
    {
        GlobalConfiguration.Configuration.UseDashboardStylesheet(typeof(AdminApi).Assembly, "Analytics.Api.Admin.hangfire-contrast.css");
        return true;
    });

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/api/admin/accounts").WithTags("Admin").AllowRoles(Role.Admin);
        accounts.MapGet("/", ListAccountsAsync).WithName("ListAccounts").WithSummary("All accounts and their roles.");
        accounts.MapPost("/", CreateAccountAsync).WithName("CreateAccount").WithSummary("Create a local account.");
        accounts.MapPut("/{userName}/roles", SetRolesAsync).WithName("SetAccountRoles").WithSummary("Replace an account's roles.");
        accounts.MapPost("/{userName}/disable", DisableAsync).WithName("DisableAccount")
            .WithSummary("Disable an account: its sessions end and its tokens are revoked at once (désactiver).");
        accounts.MapPost("/{userName}/enable", EnableAsync).WithName("EnableAccount")
            .WithSummary("Enable a disabled account again; its revoked tokens stay revoked (réactiver).");
        accounts.MapPost("/{userName}/second-factor/reset", ResetSecondFactorAsync).WithName("ResetAccountSecondFactor")
            .WithSummary("Remove an account's second factor (lost phone): its sessions end, the next sign-in enrols a new one.");

        var jobs = app.MapGroup("/api/admin/jobs").WithTags("Admin").AllowRoles(Role.Admin, Role.Steward);
        jobs.MapPost("/heartbeat", EnqueueHeartbeat).WithName("EnqueueHeartbeat")
            .WithSummary("Enqueue the heartbeat job, which proves that workers run jobs against the database.");
        jobs.MapGet("/heartbeat", ListHeartbeatsAsync).WithName("ListHeartbeats").WithSummary("The last heartbeat runs.");
        jobs.MapPost("/pipeline", LaunchPipelineAsync).WithName("LaunchPipeline")
            .WithSummary("Run the pipeline on the job workers: ingest of the drop manifest (Pipeline:DropManifest), features build, training; unchanged stages are skipped.");
        jobs.MapGet("/pipeline", ListPipelineRunsAsync).WithName("ListPipelineRuns").WithSummary("The last 20 pipeline runs, newest first, with their stages.");
        jobs.MapGet("/pipeline/{id:long}", GetPipelineRunAsync).WithName("GetPipelineRun").WithSummary("One pipeline run and its stages.");

        _ = DashboardStyle.Value;
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            // Access is decided by the endpoint's roles below, like every other route.
            Authorization = [],
            DisplayStorageConnectionString = false,
        }).WithName("JobDashboard").AllowRoles(Role.Admin);

        // Prometheus text format (PlatformSetup registers what is measured); not part of the API's description.
        app.MapPrometheusScrapingEndpoint("/metrics").WithName("Metrics").AllowRoles(Role.Admin);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<Account>>> ListAccountsAsync(AccountStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.ListAsync(ct));

    private static async Task<Created<Account>> CreateAccountAsync(NewAccountRequest request, HttpContext context, AccountStore store, CancellationToken ct)
    {
        var account = await store.CreateAsync(request.UserName ?? "", request.DisplayName ?? "", request.Password ?? "", request.Roles ?? [], Actor(context), ct);
        return TypedResults.Created($"/api/admin/accounts/{account.UserName}", account);
    }

    private static async Task<Ok<Account>> SetRolesAsync(string userName, RolesRequest request, HttpContext context, AccountStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.SetRolesAsync(userName, request.Roles ?? [], Actor(context), ct));

    private static async Task<Ok<Account>> DisableAsync(string userName, HttpContext context, AccountStore store, CancellationToken ct)
    {
        await store.DisableAsync(userName, Actor(context), ct);
        return TypedResults.Ok((await store.FindAsync(userName, ct))!);
    }

    private static async Task<Ok<Account>> EnableAsync(string userName, HttpContext context, AccountStore store, CancellationToken ct)
    {
        await store.EnableAsync(userName, Actor(context), ct);
        return TypedResults.Ok((await store.FindAsync(userName, ct))!);
    }

    private static async Task<Ok<Account>> ResetSecondFactorAsync(string userName, HttpContext context, AccountStore store, SecondFactors secondFactors, CancellationToken ct)
    {
        await secondFactors.ResetTotpAsync(userName, Actor(context), ct);
        return TypedResults.Ok((await store.FindAsync(userName, ct))!);
    }

    /// <summary>The administrator acting, as the audit log records them.</summary>
    private static string Actor(HttpContext context) => AccessClaims.UserName(context.User);

    private static Accepted<JobAccepted> EnqueueHeartbeat(HttpContext context, IBackgroundJobClient jobs)
    {
        var requestedBy = AccessClaims.UserName(context.User);
        var id = jobs.Enqueue<HeartbeatJob>(job => job.RunAsync(requestedBy));
        return TypedResults.Accepted("/api/admin/jobs/heartbeat", new JobAccepted(id));
    }

    private static async Task<Ok<List<HeartbeatRun>>> ListHeartbeatsAsync(Heartbeats heartbeats, CancellationToken ct) =>
        TypedResults.Ok(await heartbeats.LatestAsync(ct));

    private static async Task<Accepted<Pipeline.RunView>> LaunchPipelineAsync(HttpContext context, Pipeline pipeline, IBackgroundJobClient jobs, CancellationToken ct)
    {
        var id = await pipeline.CreateRunAsync("api", AccessClaims.UserName(context.User), cancellationToken: ct);
        var run = (await pipeline.RunAsync(id, ct))!;
        PipelineJob.Enqueue(jobs, run);
        return TypedResults.Accepted($"/api/admin/jobs/pipeline/{id}", run);
    }

    private static async Task<Ok<IReadOnlyList<Pipeline.RunView>>> ListPipelineRunsAsync(Pipeline pipeline, CancellationToken ct) =>
        TypedResults.Ok(await pipeline.LatestAsync(20, ct));

    private static async Task<Results<Ok<Pipeline.RunView>, ProblemHttpResult>> GetPipelineRunAsync(long id, Pipeline pipeline, CancellationToken ct) =>
        await pipeline.RunAsync(id, ct) is { } run ? TypedResults.Ok(run) : Platform.ApiProblems.Create(StatusCodes.Status404NotFound, $"no pipeline run {id}");
}
