using System.Globalization;
using System.Text.Json;
using Analytics.Api.Access;
using Analytics.Api.Platform;
using Analytics.Api.RiskModels;
using Analytics.Jobs.AuditTrail;
using Analytics.Jobs.Features;
using Analytics.Jobs.Ingest;
using Analytics.Jobs.Release;
using Analytics.Jobs.Training;
using Analytics.Models.Access;
using Analytics.Models.Modelling;
using Analytics.Models.Planning;
using Analytics.Models.Secrecy;
using Analytics.Models.Specifications;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Api.Planning;

/// <summary>
/// Prevention planning over the release in force only (the gate, <see cref="PublishedReleases"/>): a priority list that
/// says by which rule it is ordered and why each commune is on it, a targeting simulator, exposure scenarios and what
/// changed since the previous release. Recorded figures come through the one secrecy path (<see cref="PublishedFigures"/>).
/// </summary>
public static class PlanningApi
{
    public sealed record Words(string Fr, string En);
    public sealed record Covariate(string Code, string LabelFr, string LabelEn);
    public sealed record Factor(string Code, string LabelFr, string LabelEn, double Percent);
    /// <summary>A département or EPCI a list can be filtered to: its code, as the filter takes it, and its name.</summary>
    public sealed record Place(string Code, string Name);
    public sealed record Filters(IReadOnlyList<Place> Departements, IReadOnlyList<Place> Epcis, IReadOnlyList<string> DensityClasses);
    public sealed record ListedCommune(int? Rank, bool TooUncertain, string Code, string Name, string? Departement, string? Epci, double Population,
        double Predicted, double Expected, double Excess, double PredictedSir, double SirLow, double SirHigh, double? RecordedSir, PublicationState? RecordedState,
        string? DensityClass, int? DeprivationQuintile, bool Overseas, string? Cluster, string? Scan, string? IndexRanks, double? IndexPercentile, IReadOnlyList<Factor> Factors);
    public sealed record PlanningList(Provenance Release, string Period, string Condition, Words Rule, JsonElement Limits, Filters Filters,
        IReadOnlyList<Covariate> Covariates, IReadOnlyList<ListedCommune> Territories);
    public sealed record Estimate(double Value, double Low, double High);
    public sealed record GroupShare(string Dimension, string Group, double Population, double ShareCovered, double SharePopulation);
    public sealed record RuleResult(string Rule, IReadOnlyList<string> Selected, int Territories, int TooUncertain, double Population, Estimate Excess, IReadOnlyList<GroupShare> Groups);
    public sealed record Overlap(string A, string B, int Shared, double Jaccard);
    public sealed record Targeting(Provenance Release, string Period, int? TerritoriesBudget, double? PopulationShare, IReadOnlyDictionary<string, double> Weights,
        IReadOnlyList<RuleResult> Rules, IReadOnlyList<Overlap> Overlaps);
    public sealed record AssociationUsed(string Source, double Beta, double StandardError, Words Description);
    public sealed record ScenarioCommune(string Code, string Name, double Current, double Delta, double Avoided, double Low, double High);
    public sealed record Scenario(Provenance Release, string Period, string Indicator, double Reduction, string Unit, AssociationUsed Association, Estimate Total,
        Words Caveat, IReadOnlyList<ScenarioCommune> Territories);
    public sealed record Changes(Provenance Release, JsonElement Territories);

    /// <summary>The communes a planning answer is about: all of the release's, or those of a département, an EPCI, a density class or a deprivation quintile.</summary>
    public sealed record Scope(string? Departement, string? Epci, string? Density, int? Quintile);

    public static IEndpointRouteBuilder MapPlanningApi(this IEndpointRouteBuilder app)
    {
        var planning = app.MapGroup("/api/planning").WithTags("Planning").AllowRoles(Role.PublishedReaders);
        planning.MapGet("/{code}/priorities", PrioritiesAsync).WithName("GetPlanningPriorities")
            .WithSummary("Liste prioritaire expliquée, ordonnée par une règle qui respecte l'incertitude (format=csv) / Explained priority list, ordered by a rule that respects uncertainty.");
        planning.MapGet("/{code}/targeting", TargetingAsync).WithName("RunTargetingSimulator")
            .WithSummary("Comparer des règles d'allocation pour un budget (territories ou populationShare ; weights=colonne:poids,…) / Compare allocation rules for a budget.");
        planning.MapGet("/{code}/scenario", ScenarioAsync).WithName("RunExposureScenario")
            .WithSummary("Cas évités par une réduction d'exposition (indicator, reduction, unit=percent|absolute, source=model|fonction publiée) / Avoided cases of an exposure reduction.");
        planning.MapGet("/{code}/changes", ChangesAsync).WithName("GetPlanningChanges")
            .WithSummary("Ce qui a changé par commune depuis la publication précédente / What changed per commune since the previous release.");
        planning.MapGet("/concentration-response", () => TypedResults.Ok(ConcentrationResponses.All.Select(c => new
            {
                c.Code, c.Exposure, Outcome = new Words(c.Outcome.Fr, c.Outcome.En), c.Function.RelativeRisk, c.Function.Low, c.Function.High, c.Function.Increment, c.Unit, c.Source,
            }))).WithName("ListConcentrationResponses")
            .WithSummary("Fonctions concentration–risque publiées, avec leur source / Published concentration–response functions, with their source.");
        return app;
    }


    private const string Csv = "csv";

    private static readonly Words Caveat = new(
        "Association sous les hypothèses du modèle (ou de la publication choisie), et non effet mesuré : ce nombre dit combien de cas en moins l'association implique, rien de plus. L'intervalle porte l'incertitude du coefficient, pas celle des cas prédits.",
        "An association under the model's assumptions (or the chosen publication's), not a measured effect: this number says how many fewer cases the association implies, nothing more. The interval carries the coefficient's uncertainty, not that of the predicted cases.");

    private static string RuleId(AllocationRule rule) => rule switch
    {
        AllocationRule.TopSir => "top_sir",
        AllocationRule.TopExcess => "top_excess",
        AllocationRule.EquityWeighted => "equity_weighted",
        AllocationRule.AccessWeighted => "access_weighted",
        AllocationRule.PlannerWeighted => "planner_weighted",
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
    };

    /// <summary>The release in force of the model and its planning set, or the problem to answer with.</summary>
    private static async Task<(PlanningSet? Set, ModelSpecification? Spec, ProblemHttpResult? Problem)> OpenAsync(string code, PublishedReleases published,
        PlanningSets sets, ModelSpecifications specifications, CancellationToken cancellationToken)
    {
        if (specifications.Find(code) is not { } spec)
            return (null, null, ApiProblems.Create(StatusCodes.Status404NotFound, $"Modèle « {code} » inconnu. / Unknown model '{code}'."));
        if (await published.InForceAsync(code, cancellationToken) is not { } release || await sets.ReadAsync(release, cancellationToken) is not { } set)
            return (null, null, RiskModelsApi.NothingPublished(code));
        return (set, spec, null);
    }

    /// <summary>The distinct places among <paramref name="codes"/>, by code, each with its name (its code when unnamed).</summary>
    private static List<Place> Places(PlanningSet set, IEnumerable<string?> codes) =>
        [.. codes.OfType<string>().Distinct().Order(StringComparer.Ordinal).Select(c => new Place(c, set.PlaceNames.GetValueOrDefault(c, c)))];

    private static IEnumerable<PlanningCommune> InScope(PlanningSet set, Scope scope) => set.Communes.Where(c =>
        (scope.Departement is null || c.Departement == scope.Departement) && (scope.Epci is null || c.Epci == scope.Epci)
        && (scope.Density is null || c.Groups.GetValueOrDefault("density_class") == scope.Density)
        && (scope.Quintile is null || c.Quintile == scope.Quintile));

    private static async Task<IResult> PrioritiesAsync(string code, [AsParameters] Scope scope, string? format, HttpContext context, PublishedReleases published,
        PlanningSets sets, ModelSpecifications specifications, PublishedFigures figures, IndicatorCatalogue catalogue, AuditLog audit, CancellationToken cancellationToken)
    {
        var (set, spec, problem) = await OpenAsync(code, published, sets, specifications, cancellationToken);
        if (problem is not null)
            return problem;
        var indicators = (await catalogue.ListAsync(cancellationToken)).ToDictionary(i => i.Code);
        // The recorded SIR and the clusters through the secrecy path: a withheld figure comes with its state, never its value.
        var recorded = (await figures.LevelAsync(new LevelQuery(Levels.Commune, spec!.Condition, "sir", set!.Period), cancellationToken)).Figures.ToDictionary(f => f.Code);
        var lisa = (await figures.LevelClustersAsync(Levels.Commune, spec.Condition, "lisa", set.Period, cancellationToken)).ToDictionary(c => c.Code);
        var scan = (await figures.LevelClustersAsync(Levels.Commune, spec.Condition, "scan", set.Period, cancellationToken))
            .GroupBy(c => c.Code).ToDictionary(g => g.Key, g => string.Join(", ", g.Select(c => c.Category)));
        var index = (await figures.CommuneIndexAsync(cancellationToken)).ToDictionary(i => i.Code);
        var communes = InScope(set, scope).ToDictionary(c => c.Code);
        var ranked = PriorityRanking.Rank(communes.Values.Select(c => c.Territory()));
        Factor Named(KeyValuePair<string, double> c) => indicators.TryGetValue(c.Key, out var i)
            ? new Factor(c.Key, i.LabelFr, i.LabelEn, Math.Round((Math.Exp(c.Value) - 1) * 100, 1)) : new Factor(c.Key, c.Key, c.Key, Math.Round((Math.Exp(c.Value) - 1) * 100, 1));
        var listed = ranked.Select(r =>
        {
            var c = communes[r.Territory.Code];
            var figure = recorded.GetValueOrDefault(c.Code);
            var cluster = lisa.GetValueOrDefault(c.Code);
            return new ListedCommune(r.Rank, r.TooUncertain, c.Code, c.Name, c.Departement, c.Epci, c.Population, c.Predicted, c.Expected, r.Territory.ExcessCases,
                r.Territory.PredictedSir, c.IntervalLow / c.Expected, c.IntervalHigh / c.Expected, figure?.Value,
                figure?.State, r.Territory.DensityClass, r.Territory.DeprivationQuintile, r.Territory.Overseas,
                cluster?.Category is "HighHigh" or "LowLow" or "HighLow" or "LowHigh" ? cluster.Category : null,
                scan.GetValueOrDefault(c.Code), index.TryGetValue(c.Code, out var i) ? $"{i.BestRank}–{i.WorstRank}" : null, index.GetValueOrDefault(c.Code)?.Percentile,
                [.. c.Contributions.OrderByDescending(x => Math.Abs(x.Value)).ThenBy(x => x.Key, StringComparer.Ordinal).Take(3).Select(Named)]);
        }).ToList();
        var list = new PlanningList(set.Release, set.Period, spec.Condition, new Words(PriorityRanking.RuleFr, PriorityRanking.RuleEn), set.Limits,
            new Filters(Places(set, set.Communes.Select(c => c.Departement)),
                Places(set, set.Communes.Where(c => scope.Departement is null || c.Departement == scope.Departement).Select(c => c.Epci)),
                [.. set.Communes.Select(c => c.Groups.GetValueOrDefault("density_class")).OfType<string>().Distinct().Order(StringComparer.Ordinal)]),
            [.. set.Coefficients.Select(k => indicators.TryGetValue(k.Name, out var i) ? new Covariate(k.Name, i.LabelFr, i.LabelEn) : new Covariate(k.Name, k.Name, k.Name))],
            listed);
        if (format != Csv)
            return TypedResults.Ok(list);
        return await RiskModelsApi.ReleaseCsvAsync(context, audit, set.Release, "planning-priorities.csv", $"liste-{code}-{set.Release.ReleaseId}.csv",
            ["rang", "trop_incertain", "code", "nom", "departement", "epci", "population", "cas_predits", "cas_attendus", "cas_en_exces", "rsi_predit", "rsi_bas", "rsi_haut",
             "rsi_enregistre", "etat_rsi_enregistre", "densite", "quintile", "outre_mer", "grappe", "balayage", "indice_cumule_rangs", "facteurs"],
            listed.Select(r => new[]
            {
                r.Rank?.ToString(CultureInfo.InvariantCulture) ?? "", r.TooUncertain ? "1" : "0", r.Code, r.Name, r.Departement ?? "", r.Epci ?? "", Number(r.Population, 0),
                Number(r.Predicted, 2), Number(r.Expected, 2), Number(r.Excess, 2), Number(r.PredictedSir, 3), Number(r.SirLow, 3), Number(r.SirHigh, 3),
                r.RecordedSir is { } v ? Number(v, 3) : "", r.RecordedState is { } s ? PublicationStates.Id(s) : "", r.DensityClass ?? "",
                r.DeprivationQuintile?.ToString(CultureInfo.InvariantCulture) ?? "", r.Overseas ? "1" : "0", r.Cluster ?? "", r.Scan ?? "", r.IndexRanks ?? "",
                string.Join(" ", r.Factors.Select(f => $"{f.Code}:{Number(f.Percent, 1)}%")),
            }), $"filtres={JsonSerializer.Serialize(scope)}", cancellationToken);
    }

    private static async Task<IResult> TargetingAsync(string code, [AsParameters] Scope scope, int? territories, double? populationShare, string? weights, string? format,
        HttpContext context, PublishedReleases published, PlanningSets sets, ModelSpecifications specifications, AuditLog audit, CancellationToken cancellationToken)
    {
        var (set, _, problem) = await OpenAsync(code, published, sets, specifications, cancellationToken);
        if (problem is not null)
            return problem;
        if ((territories is null) == (populationShare is null))
            return ApiProblems.Create(StatusCodes.Status400BadRequest,
                "Donnez un budget : territories (nombre de communes) ou populationShare (part de la population, de 0 à 1). / Give a budget: territories (a number of communes) or populationShare (a share of the population, 0 to 1).");
        if (ParseWeights(weights) is not { } parsed)
            return ApiProblems.Create(StatusCodes.Status400BadRequest,
                $"Pondération illisible « {weights} » : colonne:poids séparés par des virgules (ex. excess:1,fdep:0.5). / Unreadable weights '{weights}': column:weight separated by commas (e.g. excess:1,fdep:0.5).");
        TargetingComparison comparison;
        try
        {
            var budget = territories is { } k ? TargetingBudget.Count(k) : TargetingBudget.Population(populationShare!.Value);
            comparison = TargetingSimulator.Compare(InScope(set!, scope).Select(c => c.Territory()), budget, parsed.Count == 0 ? null : parsed, set!.Dispersion);
        }
        catch (ArgumentException e)
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, $"Simulation impossible : {e.Message} / Simulation impossible: {e.Message}");
        }
        var result = new Targeting(set!.Release, set.Period, territories, populationShare, parsed,
            [.. comparison.Results.Select(r => new RuleResult(RuleId(r.Rule), [.. r.Selected.Select(t => t.Code)], r.Count, r.TooUncertain, r.PopulationCovered,
                new Estimate(r.ExcessReached, r.ExcessLow, r.ExcessHigh),
                [.. r.Reach.Select(g => new GroupShare(g.Dimension, g.Group, g.CoveredPopulation, g.ShareOfCovered, g.ShareOfPopulation))]))],
            [.. comparison.Overlaps.Select(o => new Overlap(RuleId(o.First), RuleId(o.Second), o.Shared.Count, o.Jaccard))]);
        if (format != Csv)
            return TypedResults.Ok(result);
        return await RiskModelsApi.ReleaseCsvAsync(context, audit, set.Release, "planning-targeting.csv", $"ciblage-{code}-{set.Release.ReleaseId}.csv",
            ["regle", "communes", "trop_incertaines", "population_couverte", "cas_en_exces_atteints", "intervalle_bas", "intervalle_haut", "dimension", "groupe",
             "part_de_la_population_couverte", "part_de_la_population", "communes_selectionnees"],
            result.Rules.SelectMany(r => r.Groups.Select(g => new[]
            {
                r.Rule, r.Territories.ToString(CultureInfo.InvariantCulture), r.TooUncertain.ToString(CultureInfo.InvariantCulture), Number(r.Population, 0),
                Number(r.Excess.Value, 1), Number(r.Excess.Low, 1), Number(r.Excess.High, 1), g.Dimension, g.Group, Number(g.ShareCovered, 4), Number(g.SharePopulation, 4),
                string.Join(" ", r.Selected),
            })), $"budget={(territories is { } n ? $"{n} communes" : $"{Number(populationShare!.Value, 3)} population")};ponderation={weights};filtres={JsonSerializer.Serialize(scope)}",
            cancellationToken);
    }

    /// <summary>"excess:1,fdep:0.5" → weights; null when unreadable.</summary>
    private static Dictionary<string, double>? ParseWeights(string? weights)
    {
        var parsed = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var part in (weights ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split(':');
            if (pair.Length != 2 || !double.TryParse(pair[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var w) || !parsed.TryAdd(pair[0], w))
                return null;
        }
        return parsed;
    }

    private static async Task<IResult> ScenarioAsync(string code, [AsParameters] Scope scope, string? indicator, double? reduction, string? unit, string? source, string? format,
        HttpContext context, PublishedReleases published, PlanningSets sets, ModelSpecifications specifications, AuditLog audit, CancellationToken cancellationToken)
    {
        var (set, _, problem) = await OpenAsync(code, published, sets, specifications, cancellationToken);
        if (problem is not null)
            return problem;
        if (set!.Coefficients.FirstOrDefault(c => c.Name == indicator) is not { } coefficient)
            return ApiProblems.Create(StatusCodes.Status400BadRequest,
                $"« indicator » doit être une covariable du modèle : {string.Join(", ", set.Coefficients.Select(c => c.Name))}. / 'indicator' must be one of the model's covariates: {string.Join(", ", set.Coefficients.Select(c => c.Name))}.");
        if (unit is not ("percent" or "absolute") || reduction is not { } amount || !(amount >= 0) || (unit == "percent" && amount > 100))
            return ApiProblems.Create(StatusCodes.Status400BadRequest,
                "Réduction attendue : reduction ≥ 0 et unit=percent (au plus 100) ou unit=absolute. / Expected reduction: reduction ≥ 0 and unit=percent (at most 100) or unit=absolute.");
        AssociationUsed association;
        if (source is null or "model")
        {
            var model = ChampionRule.CoefficientWords(set.Champion);
            association = new("model", coefficient.Estimate, coefficient.StandardError, new Words(
                $"Coefficient du modèle approuvé (publication {set.Release.ReleaseId}, {model.Fr}) : log du rapport de taux {Number(coefficient.Estimate, 4)} par unité (erreur type {Number(coefficient.StandardError, 4)}).",
                $"Coefficient of the approved model (release {set.Release.ReleaseId}, {model.En}): log rate ratio {Number(coefficient.Estimate, 4)} per unit (standard error {Number(coefficient.StandardError, 4)})."));
        }
        else if (ConcentrationResponses.All.FirstOrDefault(c => c.Code == source && c.Exposure == indicator) is { } crf)
            association = new(crf.Code, crf.Function.Association.Beta, crf.Function.Association.StandardError, new Words(
                $"Fonction publiée : risque relatif {Number(crf.Function.RelativeRisk, 2)} ({Number(crf.Function.Low, 2)}–{Number(crf.Function.High, 2)}) par {Number(crf.Function.Increment, 0)} {crf.Unit}, {crf.Outcome.Fr} — {crf.Source}. Estimée pour ce résultat de santé, elle sert ici à comparer.",
                $"Published function: relative risk {Number(crf.Function.RelativeRisk, 2)} ({Number(crf.Function.Low, 2)}–{Number(crf.Function.High, 2)}) per {Number(crf.Function.Increment, 0)} {crf.Unit}, {crf.Outcome.En} — {crf.Source}. Estimated for that health outcome, it is used here to compare."));
        else
            return ApiProblems.Create(StatusCodes.Status400BadRequest,
                $"Source inconnue « {source} » pour {indicator} : model ou une fonction de /api/planning/concentration-response. / Unknown source '{source}' for {indicator}: model or a function of /api/planning/concentration-response.");
        var included = InScope(set, scope).Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
        var names = set.Communes.ToDictionary(c => c.Code);
        var result = ExposureScenario.Run(set.Communes.Select(c => new ExposureTerritory(c.Code, c.Predicted, c.Covariates[coefficient.Name], included.Contains(c.Code))),
            unit == "percent" ? ExposureReduction.Percentage(amount) : ExposureReduction.Absolute(amount), new ExposureAssociation(association.Beta, association.StandardError));
        var scenario = new Scenario(set.Release, set.Period, coefficient.Name, amount, unit, association, new Estimate(result.Total, result.TotalLow, result.TotalHigh), Caveat,
            [.. result.Territories.Where(t => included.Contains(t.Code)).OrderByDescending(t => t.Avoided).ThenBy(t => t.Code, StringComparer.Ordinal)
                .Select(t => new ScenarioCommune(t.Code, names[t.Code].Name, names[t.Code].Covariates[coefficient.Name], t.Reduction, t.Avoided, t.Low, t.High))]);
        if (format != Csv)
            return TypedResults.Ok(scenario);
        return await RiskModelsApi.ReleaseCsvAsync(context, audit, set.Release, "planning-scenario.csv", $"scenario-{code}-{set.Release.ReleaseId}.csv",
            ["code", "nom", "valeur_actuelle", "reduction", "cas_evites", "intervalle_bas", "intervalle_haut"],
            scenario.Territories.Select(t => new[] { t.Code, t.Name, Number(t.Current, 3), Number(t.Delta, 3), Number(t.Avoided, 3), Number(t.Low, 3), Number(t.High, 3) }),
            $"exposition={coefficient.Name};reduction={Number(amount, 3)} {unit};association={association.Source};total={Number(result.Total, 2)} [{Number(result.TotalLow, 2)}-{Number(result.TotalHigh, 2)}]",
            cancellationToken);
    }

    private static async Task<IResult> ChangesAsync(string code, PublishedReleases published, ModelSpecifications specifications, CancellationToken cancellationToken)
    {
        if (specifications.Find(code) is null || await published.InForceAsync(code, cancellationToken) is not { } release)
            return RiskModelsApi.NothingPublished(code);
        return TypedResults.Ok(new Changes(release, JsonSerializer.Deserialize<JsonElement>(await published.ChangesJsonAsync(release, cancellationToken))));
    }

    private static string Number(double value, int digits) => value.ToString("F" + digits, CultureInfo.InvariantCulture);
}
