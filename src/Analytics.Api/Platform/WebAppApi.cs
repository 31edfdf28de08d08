using Analytics.Api.Access;
using Analytics.Models.Access;
using Analytics.Jobs.FairnessReports;
using Analytics.Jobs.Features;
using Analytics.Jobs.Ingest;
using Analytics.Jobs.Training;
using Analytics.Models.Fairness;
using Analytics.Models.Modelling;
using Analytics.Models.Review;
using Analytics.Models.Secrecy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Analytics.Api.Platform;

/// <summary>
/// What the web app needs to lay itself out for the caller, so it repeats neither the route
/// table's roles nor the product's words: the screens the caller may open (a screen is open when
/// its first route lets one of the caller's roles in), the product's terms in French and English
/// (fairness verdicts, the statistics a map or chart is made on, publication states, release states, roles), the models
/// and the kinds of files, and the accountable team's contact (from configuration).
/// </summary>
public static class WebAppApi
{
    /// <summary>A term of the product with its French and English words: a fairness verdict, a statistic, a publication state.</summary>
    public sealed record Term(string Id, string Fr, string En);
    public sealed record ModelName(string Code, string LabelFr, string LabelEn);
    public sealed record Contact(string Team, string Name, string Email);
    public sealed record FairnessWords(IReadOnlyList<Term> Dimensions, IReadOnlyList<Term> Groups, IReadOnlyList<Term> Metrics);
    public sealed record Shell(IReadOnlyList<string> Screens, IReadOnlyList<Term> Verdicts, IReadOnlyList<Term> Statistics, IReadOnlyList<Term> States,
        IReadOnlyList<Term> ReleaseStates, IReadOnlyList<Term> Roles, IReadOnlyList<ModelName> Models, IReadOnlyList<Term> IngestKinds, IReadOnlyList<Term> AuditKinds, IReadOnlyList<Term> ChampionRules, IReadOnlyList<Term> CoefficientSources, FairnessWords Fairness, Contact? Contact);

    /// <summary>Each screen of the web app and the route it reads first.</summary>
    private static readonly (string Screen, string Endpoint)[] Screens =
    [
        ("map", "ExportLevelFigures"),
        ("publications", "ListModels"),
        ("planning", "GetPlanningPriorities"),
        ("reviews", "ListReleases"),
        ("decide", "ApproveRelease"),
        ("audit", "ListAuditEvents"),
        ("accounts", "ListAccounts"),
        ("tokens", "ListMyTokens"),
        ("comment", "CommentTerritory"),
        ("data", "UploadFile"),
        ("dashboard", "JobDashboard"),
    ];

    public static IEndpointRouteBuilder MapWebAppApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/app", GetShell).WithTags("Access").WithName("GetAppShell")
            .WithSummary("Écrans ouverts à l'appelant et libellés des verdicts / Screens open to the caller and the verdicts' names.")
            .AllowRoles([.. Role.All]);
        return app;
    }

    private static Ok<Shell> GetShell(HttpContext context, EndpointDataSource endpoints, ModelSpecifications models, IOptions<ContactOptions> contact)
    {
        var open = Screens.Where(s => MayCall(context, endpoints, s.Endpoint)).Select(s => s.Screen).ToList();
        var verdicts = Verdicts.All.Select(v => new Term(v.Id, v.Label.Fr, v.Label.En)).ToList();
        var statistics = HealthStatistics.Comparable.Select(s => new Term(s.Id, s.Fr, s.En)).ToList();
        var states = PublicationStates.All.Select(s => new Term(s.Id, s.Label.Fr, s.Label.En)).ToList();
        var releaseStates = ReleaseStates.Labels.Select(r => new Term(r.Id, r.Fr, r.En)).ToList();
        var roles = Role.Names.Select(r => new Term(r.Id, r.Fr, r.En)).ToList();
        var modelNames = models.All().Select(m => new ModelName(m.Code, m.Label.Fr, m.Label.En)).ToList();
        var c = contact.Value;
        return TypedResults.Ok(new Shell(open, verdicts, statistics, states, releaseStates, roles, modelNames, IngestKindWords, AuditKindWords, ChampionRuleWords, CoefficientSourceWords, Fairness, c.IsComplete ? new Contact(c.Team!, c.Name!, c.Email!) : null));
    }

    private static Term Named(string id, Models.Specifications.LocalisedText words) => new(id, words.Fr, words.En);

    private static readonly List<Term> IngestKindWords = [.. Enum.GetValues<IngestKind>().Select(k => Named(k.Name(), k.Label()))];
    private static readonly List<Term> AuditKindWords = [.. Models.AuditTrail.AuditKinds.All.Select(k => Named(k, Models.AuditTrail.AuditKinds.Label(k)))];
    private static readonly List<Term> ChampionRuleWords = [.. Enum.GetValues<ChampionReason>().Select(r => Named(r.ToString(), ChampionRule.Words(r)))];
    // Whose coefficients a run stands behind, by champion as ml.model_run names it.
    private static readonly List<Term> CoefficientSourceWords = [.. Enum.GetValues<RiskModelKind>().Select(k => Named(ModelTraining.Name(k), ChampionRule.CoefficientWords(k)))];

    private static readonly FairnessWords Fairness = new(
        [.. FairnessTerms.Dimensions.Select(d => new Term(d.Id, d.Fr, d.En))], [.. FairnessTerms.Groups.Select(g => new Term(g.Id, g.Fr, g.En))],
        [.. FairnessTerms.Metrics.Select(m => new Term(FairnessTerms.JsonId(m.Metric), m.Fr, m.En))]);

    private static bool MayCall(HttpContext context, EndpointDataSource endpoints, string endpointName)
    {
        var endpoint = endpoints.Endpoints.Single(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == endpointName);
        var roles = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries));
        return roles.Any(context.User.IsInRole);
    }
}
