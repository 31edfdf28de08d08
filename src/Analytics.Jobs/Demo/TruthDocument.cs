using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Analytics.Jobs.Demo;

/// <summary>
/// The demo world's known truth, written from the same constants the generator used (so the
/// document cannot drift from the data): <c>truth.json</c> for programs, <c>TRUTH.md</c> for people.
/// </summary>
internal static class TruthDocument
{
    private const string Formula =
        "log E[true cases] = log(population) + log(baseline_per_100k[sex, age] / 100000) + sum_j beta_j * (x_j - centre_j) + spatial_effect[commune]";

    public static void WriteJson(DemoWorld world, string path)
    {
        var bias = BiasSummary(world);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteNumber("seed", world.Seed);
        json.WriteString("scale", world.Scale.Name);
        json.WriteStartArray("years");
        foreach (var y in DemoWorld.Years)
            json.WriteNumberValue(y);
        json.WriteEndArray();
        json.WriteString("model", Formula);
        json.WriteString("distribution", "true cases ~ Poisson(E[true cases]) per commune x year x condition x sex x age band");
        json.WriteStartArray("covariates");
        foreach (var c in HealthModel.Covariates)
        {
            json.WriteStartObject();
            json.WriteString("name", c.Name);
            json.WriteString("unit", c.Unit);
            json.WriteNumber("centre", c.Centre);
            json.WriteString("description", c.Description);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject("spatial_effect");
        json.WriteNumber("sd", HealthModel.SpatialEffectSd);
        json.WriteString("file", "validation/commune_covariates.csv");
        json.WriteString("column", "spatial_effect");
        json.WriteString("description", "smooth Gaussian field over communes (5 rounds of neighbour averaging, standardised, times sd); shared by all conditions; part of the truth, unknown to analysts");
        json.WriteEndObject();
        json.WriteStartArray("conditions");
        foreach (var condition in HealthModel.Conditions)
        {
            json.WriteStartObject();
            json.WriteString("key", condition.Key);
            json.WriteString("code", condition.Code);
            json.WriteString("label_fr", condition.LabelFr);
            json.WriteString("label_en", condition.LabelEn);
            json.WriteStartObject("baseline_per_100k");
            for (var s = 0; s < 2; s++)
            {
                json.WriteStartObject(((Sex)s).ToString());
                for (var a = 0; a < AgeBands.All.Count; a++)
                    json.WriteNumber(AgeBands.All[a], condition.BaselinePer100k[s, a]);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteStartObject("coefficients");
            foreach (var (name, beta) in condition.Coefficients)
                json.WriteNumber(name, beta);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject("bias");
        json.WriteString("mechanism", "binomial thinning of true counts: recorded ~ Binomial(true, share)");
        json.WriteString("group", "density_class = rural AND deprivation_quintile = 5 (socioeconomic_commune.csv)");
        json.WriteNumber("recorded_share", HealthModel.UnderAscertainment);
        json.WriteNumber("recorded_share_elsewhere", 1.0);
        json.WriteNumber("communes_targeted", bias.Communes);
        json.WriteNumber("true_cases_targeted", bias.TrueCases);
        json.WriteNumber("recorded_cases_targeted", bias.RecordedCases);
        json.WriteEndObject();
        json.WriteStartObject("files");
        json.WriteString("recorded_counts", "health_commune.csv.gz");
        json.WriteString("true_counts", "validation/health_true_counts.csv.gz");
        json.WriteString("covariates", "validation/commune_covariates.csv");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    public static void WriteMarkdown(DemoWorld world, string path)
    {
        var bias = BiasSummary(world);
        var md = new StringBuilder();
        string F(double v, string format = "0.###") => v.ToString(format, CultureInfo.InvariantCulture);
        md.Append(CultureInfo.InvariantCulture, $"""
            # Demo world — the truth (seed {world.Seed}, scale {world.Scale.Name})

            Everything in this folder is **synthetic**: no real person, place or measurement. This
            file states how the health counts were drawn, so that any model trained on them can be
            checked against the answer. `truth.json` holds the same facts for programs. Both are
            written by the generator from the constants it used.

            ## Health model

            For every commune × year ({DemoWorld.Years[0]}–{DemoWorld.Years[^1]}) × condition × sex × age band:

                {Formula}
                true cases ~ Poisson(E[true cases])

            Population is the `population` column of the health file (= `population_commune.csv`).
            Covariates, all at commune × year level (the exact values are in `validation/commune_covariates.csv`):

            | covariate | unit | centred on | what it is |
            |---|---|---|---|

            """);
        foreach (var c in HealthModel.Covariates)
            md.Append(CultureInfo.InvariantCulture, $"| `{c.Name}` | {c.Unit} | {F(c.Centre)} | {c.Description} |\n");
        md.Append(CultureInfo.InvariantCulture, $"""

            `spatial_effect` is a smooth Gaussian field over communes (sd {F(HealthModel.SpatialEffectSd)} on the log scale),
            shared by all conditions: unmeasured local factors. It is part of the truth (column `spatial_effect`
            of `validation/commune_covariates.csv`); a model that ignores it sees mild over-dispersion.

            ### Coefficients (log rate ratio per unit of the covariate)

            | condition | CIM-10 | coefficient | value | rate ratio |
            |---|---|---|---|---|

            """);
        foreach (var condition in HealthModel.Conditions)
            foreach (var (name, beta) in condition.Coefficients)
                md.Append(CultureInfo.InvariantCulture, $"| {condition.LabelEn} | {condition.Code} | `{name}` | {F(beta)} | {F(Math.Exp(beta), "0.0000")} per unit |\n");
        md.Append("""

            ### Baseline rates (per 100,000 per year, at the centre of every covariate)

            | condition | sex | 0-14 | 15-44 | 45-64 | 65-74 | 75+ |
            |---|---|---|---|---|---|---|

            """);
        foreach (var condition in HealthModel.Conditions)
            for (var s = 0; s < 2; s++)
                md.Append(CultureInfo.InvariantCulture, $"| {condition.LabelEn} | {(Sex)s} | {string.Join(" | ", Enumerable.Range(0, 5).Select(a => F(condition.BaselinePer100k[s, a])))} |\n");
        md.Append(CultureInfo.InvariantCulture, $"""

            ## The planted bias: under-ascertainment

            Recorded counts (`health_commune.csv.gz`) are the true counts (`validation/health_true_counts.csv.gz`)
            thinned binomially: `recorded ~ Binomial(true, p)` with

            - **p = {F(HealthModel.UnderAscertainment, "0.00")}** in communes that are **rural** (`density_class = rural`) **and**
              in the **most deprived quintile** (`deprivation_quintile = 5`) — {bias.Communes} communes here;
            - p = 1 everywhere else (every true case is recorded).

            In this world that group holds {bias.TrueCases} true cases, of which {bias.RecordedCases} were recorded
            (ratio {F((double)bias.RecordedCases / Math.Max(1, bias.TrueCases), "0.000")}). A model trained on recorded counts
            under-predicts the true risk there. A model with a deprivation term but no rurality term also absorbs part
            of the bias into its deprivation coefficient, so other deprived communes are under-predicted too: a
            fairness audit by deprivation × rurality, against these true counts, should show both.

            ## Files that must never be used for training

            `validation/` holds the true counts and the exact covariates. They exist only to check models.
            """);
        md.Append('\n');
        File.WriteAllText(path, md.ToString(), new UTF8Encoding(false));
    }

    private static (int Communes, long TrueCases, long RecordedCases) BiasSummary(DemoWorld world)
    {
        var targeted = world.Communes.Where(HealthModel.IsUnderAscertained).ToArray();
        long trueCases = 0, recorded = 0;
        var perCommune = DemoWorld.Years.Count * HealthModel.Conditions.Count * 2 * AgeBands.All.Count;
        foreach (var c in targeted)
        {
            var first = DemoHealth.Cell(c.Index, 0, 0, 0, 0);
            for (var i = first; i < first + perCommune; i++)
            {
                trueCases += world.Health.TrueCases[i];
                recorded += world.Health.RecordedCases[i];
            }
        }
        return (targeted.Length, trueCases, recorded);
    }
}
