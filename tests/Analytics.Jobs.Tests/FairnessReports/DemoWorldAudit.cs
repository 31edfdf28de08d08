using System.Globalization;
using System.Text.Json;
using Analytics.Jobs.Tests.Demo;
using Analytics.Models.Fairness;
using Analytics.Testing;

namespace Analytics.Jobs.Tests.FairnessReports;

/// <summary>
/// Audit inputs from the committed demo world (data/demo, seed 42): recorded cases per commune over all years and
/// conditions, against the expected cases of the documented true model (truth.json) — a model that predicts true
/// risk, so that the only unfairness is the planted under-recording in rural communes of deprivation quintile 5.
/// </summary>
internal static class DemoWorldAudit
{
    private static readonly Lazy<List<TerritoryOutcome>> Cached = new(Build);

    public static List<TerritoryOutcome> Outcomes => Cached.Value;

    private static List<TerritoryOutcome> Build()
    {
        var truth = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("data/demo/truth.json"))).RootElement;
        var centres = truth.GetProperty("covariates").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("centre").GetDouble());
        var conditions = truth.GetProperty("conditions").EnumerateArray().ToDictionary(
            c => c.GetProperty("code").GetString()!,
            c => (Baseline: c.GetProperty("baseline_per_100k"), Coefficients: c.GetProperty("coefficients").EnumerateObject().Select(p => (p.Name, p.Value.GetDouble())).ToArray()));
        var covariates = SemicolonCsv.Read(RepositoryFiles.PathOf("data/demo/validation/commune_covariates.csv")).ToDictionary(r => (r["commune_code"], r["year"]));
        var socio = SemicolonCsv.Read(RepositoryFiles.PathOf("data/demo/socioeconomic_commune.csv")).ToList();

        var observed = new Dictionary<string, long>();
        var expected = new Dictionary<string, double>();
        var personYears = new Dictionary<string, double>();
        var firstCondition = conditions.Keys.First();
        foreach (var row in SemicolonCsv.Read(RepositoryFiles.PathOf("data/demo/health_commune.csv.gz")))
        {
            var code = row["territory_code"];
            var population = Parse(row["population"]);
            var (baseline, coefficients) = conditions[row["condition_code"]];
            var c = covariates[(code, row["period"])];
            var linear = Parse(c["spatial_effect"]) + coefficients.Sum(b => b.Item2 * (Parse(c[b.Name]) - centres[b.Name]));
            var rate = baseline.GetProperty(row["sex"]).GetProperty(row["age_band"]).GetDouble() / 100_000;
            expected[code] = expected.GetValueOrDefault(code) + population * rate * Math.Exp(linear);
            observed[code] = observed.GetValueOrDefault(code) + long.Parse(row["cases"], CultureInfo.InvariantCulture);
            if (row["condition_code"] == firstCondition)
                personYears[code] = personYears.GetValueOrDefault(code) + population;
        }

        var communes = socio.Where(r => personYears.GetValueOrDefault(r["commune_code"]) > 0).ToList();
        var selected = PriorityList.TopShare(communes.Select(r => expected[r["commune_code"]] / personYears[r["commune_code"]]).ToArray(), 0.10);
        var actual = PriorityList.TopShare(communes.Select(r => observed[r["commune_code"]] / personYears[r["commune_code"]]).ToArray(), 0.10);
        return communes.Select((r, i) => new TerritoryOutcome(
                r["commune_code"], observed[r["commune_code"]], expected[r["commune_code"]], personYears[r["commune_code"]], selected[i], actual[i],
                new Dictionary<string, string>
                {
                    [FairnessDimensions.DeprivationQuintile] = r["deprivation_quintile"],
                    [FairnessDimensions.DensityClass] = r["density_class"],
                    [FairnessDimensions.TerritoryType] = r["overseas"] == "1" ? FairnessDimensions.Overseas : FairnessDimensions.Mainland,
                }))
            .ToList();
    }

    private static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
