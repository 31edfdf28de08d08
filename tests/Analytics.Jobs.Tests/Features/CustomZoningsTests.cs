using Analytics.Jobs.Features;
using Analytics.Jobs.Ingest;
using Analytics.Models.Secrecy;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Analytics.Jobs.Tests.Features;

/// <summary>Custom zonings on the demo world: which zones are accepted, and their figures rolled up under secrecy.</summary>
[Collection(DemoPipelineCollection.Name)]
public class CustomZoningsTests(DemoPipeline pipeline)
{
    /// <summary>Communes of the demo world by EPCI, with their population (socioeconomic_commune.csv).</summary>
    private static readonly List<(string Commune, string Epci, long Population)> Communes = File.ReadLines(RepositoryFiles.PathOf("data/demo/socioeconomic_commune.csv"))
        .Skip(1).Select(l => l.Split(';')).Select(f => (f[0], f[2], long.Parse(f[7], System.Globalization.CultureInfo.InvariantCulture))).ToList();

    /// <summary>Loads a zoning file through the ingest stage, as a steward would; the zones it stored, by code, with their refusal (null when accepted).</summary>
    internal static async Task<(IngestResult Result, Dictionary<string, (string? Refusal, long Population)> Zones)> LoadZoningAsync(
        DemoPipeline pipeline, string zoning, IEnumerable<(string Zone, string Commune)> rows)
    {
        var file = Path.Combine(Path.GetTempPath(), $"zoning-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(file, ["zone_code;zone_name;commune_code", .. rows.Select(r => $"{r.Zone};Zone {r.Zone};{r.Commune}")]);
        try
        {
            var ingest = new IngestService(pipeline.Database.DataSource, TimeProvider.System, NullLogger<IngestService>.Instance);
            var result = await ingest.LoadAsync(new IngestRequest(IngestKind.Zoning, file, "zoning.csv", "test-steward", new IngestOptions { Zoning = zoning }));
            var zones = new Dictionary<string, (string?, long)>(StringComparer.Ordinal);
            await using var command = pipeline.Database.DataSource.CreateCommand("SELECT code, refusal, population FROM geo.custom_zone WHERE batch_id = $1");
            command.Parameters.Add(new() { Value = (object?)result.BatchId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                zones[reader.GetString(0)] = (reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2));
            return (result, zones);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task zones_are_refused_when_too_small_or_one_commune_away_from_a_published_zone_and_the_others_get_protected_figures()
    {
        var epcis = Communes.GroupBy(c => c.Epci).Where(g => g.Sum(c => c.Population) > 20_000).OrderBy(g => g.Key).Take(3).ToList();
        var (first, second, third) = (epcis[0].ToList(), epcis[1].ToList(), epcis[2].ToList());
        // One commune of fewer than 2,000 residents: "the EPCI minus that commune" would publish it by subtraction.
        var outsider = third.Where(c => c.Population is > 0 and < 2_000).OrderBy(c => c.Commune).First();
        var small = Communes.Where(c => c.Population is > 0 and < 2_000 && epcis.All(e => e.Key != c.Epci)).OrderBy(c => c.Commune).First();
        var zonings = new CustomZonings(pipeline.Database.DataSource);

        var (loaded, outcomes) = await LoadZoningAsync(pipeline, "contrats locaux de santé", [
            .. first.Concat(second).Select(c => ("TWO", c.Commune)),                 // two whole EPCI: accepted
            .. third.Where(c => c != outsider).Select(c => ("THIRD-BUT-ONE", c.Commune)), // an EPCI minus one commune: refused
            ("SMALL", small.Commune),                                                     // one small commune: refused
        ]);

        Assert.Null(outcomes["TWO"].Refusal);
        Assert.NotNull(outcomes["THIRD-BUT-ONE"].Refusal);
        Assert.Contains(outsider.Commune, outcomes["THIRD-BUT-ONE"].Refusal);
        Assert.NotNull(outcomes["SMALL"].Refusal);
        Assert.Equal(first.Sum(c => c.Population) + second.Sum(c => c.Population), outcomes["TWO"].Population);
        Assert.Equal(IngestOutcome.Loaded, loaded.Outcome);
        Assert.Contains(loaded.Notes, n => n.StartsWith("zone SMALL refused", StringComparison.Ordinal));

        var batch = await pipeline.Database.ScalarAsync<long>("SELECT max(id) FROM ingest.batch WHERE kind = 'health' AND status = 'loaded'");
        await zonings.RollUpAsync(batch);

        // Only the accepted zone has figures; none of 1–10 cases; its count is the sum of its two EPCI where both are published.
        Assert.Equal(1L, await pipeline.Database.ScalarAsync<long>("SELECT count(DISTINCT zone_id) FROM features.custom_zone_indicator"));
        Assert.Equal(0L, await pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM features.custom_zone_indicator WHERE statistic = 'cases' AND value BETWEEN 1 AND 10"));
        var mismatched = await pipeline.Database.ScalarAsync<long>($"""
            SELECT count(*) FROM features.custom_zone_indicator z
            JOIN LATERAL (
                SELECT sum(h.value) AS total, bool_and(h.state <> 'suppressed') AS published FROM features.health_indicator h JOIN geo.territory t ON t.id = h.territory_id
                WHERE h.health_batch_id = z.health_batch_id AND h.period = z.period AND h.condition_code = z.condition_code AND h.statistic = 'cases'
                  AND t.level = 'epci' AND t.code IN ('{epcis[0].Key}', '{epcis[1].Key}')) e ON e.published
            WHERE z.statistic = 'cases' AND z.state <> 'suppressed' AND z.value <> e.total
            """);
        Assert.Equal(0L, mismatched);
        Assert.True(await pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM features.custom_zone_indicator WHERE statistic = 'cases' AND state <> 'suppressed'") > 0);

        // Exposures: a population-weighted mean lies between its communes' extremes.
        Assert.Equal(0L, await pipeline.Database.ScalarAsync<long>("""
            SELECT count(*) FROM features.custom_zone_exposure x JOIN geo.custom_zone z ON z.id = x.zone_id
            WHERE x.value < (SELECT min(e.value) - 1e-9 FROM features.territory_exposure e WHERE e.territory_id = ANY (z.communes) AND e.indicator_code = x.indicator_code AND e.period = x.period)
               OR x.value > (SELECT max(e.value) + 1e-9 FROM features.territory_exposure e WHERE e.territory_id = ANY (z.communes) AND e.indicator_code = x.indicator_code AND e.period = x.period)
            """));
        Assert.True(await pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM features.custom_zone_exposure WHERE indicator_code = 'pm25_annual'") == 5);
    }
}
