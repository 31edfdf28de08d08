using Analytics.Api.Access;
using Analytics.Api.Admin;
using Analytics.Api.AuditTrail;
using Analytics.Api.Ingest;
using Analytics.Api.Ogc;
using Analytics.Api.RiskModels;
using Analytics.Api.Platform;
using Analytics.Api.Planning;
using Analytics.Api.Reviews;
using Analytics.Api.Territories;

// Table of contents. Each area maps all its routes, with their roles, in one file.
var builder = WebApplication.CreateBuilder(args);
builder.AddPlatform();   // database, jobs, logging, telemetry, problem responses, OpenAPI
builder.AddAccess();     // sign-in (cookie), API tokens, deny-by-default authorisation

var app = builder.Build();
await app.PrepareDatabaseAsync();   // PostGIS check and migrations; stops start-up with a message when impossible
app.UsePlatform();

app.MapHealthApi();
app.MapAccessApi();
app.MapIngestApi();
app.MapRiskModelsApi();
app.MapPlanningApi();
app.MapReviewsApi();
app.MapAdminApi();
app.MapAuditApi();
app.MapTerritoriesApi();
app.MapLevelsApi();
app.MapZoningsApi();
app.MapTilesApi();
app.MapOgcFeaturesApi();
app.MapWebAppApi();

app.Run();

/// <summary>Entry point, public for the HTTP tests' WebApplicationFactory.</summary>
public partial class Program;
