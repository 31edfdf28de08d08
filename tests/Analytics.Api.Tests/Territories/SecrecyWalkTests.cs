using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Analytics.Models.Access;
using Analytics.Testing;
using NetTopologySuite.IO.VectorTiles.Mapbox;

namespace Analytics.Api.Tests.Territories;

/// <summary>
/// Statistical secrecy as an analyst meets it: every route and export that serves published health figures, walked
/// over the demo world with the analyst's token. They must all serve the same figures (one secrecy path), no count
/// of 1 to 10, no rate or ratio that gives such a count back, and no published total from which a small count
/// follows by subtraction.
/// </summary>
[Collection(DemoWorldCollection.Name)]
public class SecrecyWalkTests(DemoWorldApi api)
{
    private readonly record struct Key(string Territory, string Condition, string Period, string Statistic);

    [Fact]
    public async Task every_route_and_export_serves_the_same_figures_with_no_small_count_given_away()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var territories = await TerritoriesAsync();
        var served = await HealthRouteAsync(analyst, territories);
        var conditions = served.Keys.Select(k => k.Condition).Distinct().Order().ToList();
        var latest = served.Keys.Max(k => k.Period)!;
        var checkedValues = 0;

        void Same(string route, Key key, double? value)
        {
            Assert.True(served.TryGetValue(key, out var reference), $"{route}: {key} is not served by the health route");
            Assert.True(reference == value || (reference is { } r && value is { } v && Math.Abs(r - v) <= 1e-9 * Math.Max(1, Math.Abs(r))),
                $"{route}: {key} = {value}, the health route says {reference}");
            checkedValues++;
        }

        // The level exports: every level × condition × statistic, every period (CSV, the widest export).
        foreach (var level in new[] { "commune", "epci", "departement", "region" })
            foreach (var condition in conditions)
                foreach (var statistic in new[] { "cases", "population", "crude_rate", "standardised_rate", "expected", "sir", "smoothed_rr", "p_rr_above_1" })
                {
                    var bytes = await analyst.GetByteArrayAsync($"/api/levels/{level}/figures?condition={condition}&statistic={statistic}");
                    foreach (var row in Rfc4180.Read(Encoding.UTF8.GetString(bytes[3..])).Skip(2))
                        if (row[6] != "missing")
                            Same("level CSV", new Key($"{level}/{row[0]}", condition, row[2], statistic), Number(row[3]));
                }

        // Rankings of every parent's children, comparisons of every commune of one EPCI, OGC items of the départements.
        foreach (var parent in territories.Where(t => t.Level != "commune"))
            foreach (var condition in conditions)
                foreach (var ranked in (await analyst.GetFromJsonAsync<JsonElement>($"/api/territories/{parent.Level}/{parent.Code}/ranking?condition={condition}&statistic=sir&period={latest}")).EnumerateArray())
                    Same("ranking", new Key($"{ranked.GetProperty("level").GetString()}/{ranked.GetProperty("code").GetString()}", condition, latest, "sir"), Value(ranked));
        var partitions = new Dictionary<string, List<string>>();
        var epci = territories.First(t => t.Level == "epci");
        var wholeRates = new Dictionary<Key, double?>();
        foreach (var commune in territories.Where(t => t.Parent == $"epci/{epci.Code}"))
            foreach (var condition in conditions)
                foreach (var row in (await analyst.GetFromJsonAsync<JsonElement>($"/api/territories/commune/{commune.Code}/compare?condition={condition}&statistic=crude_rate")).EnumerateArray())
                {
                    var key = new Key($"{row.GetProperty("level").GetString()}/{row.GetProperty("code").GetString()}", condition, row.GetProperty("period").GetString()!, "crude_rate");
                    if (key.Territory != "whole/")
                        Same("compare", key, Value(row));
                    else if (wholeRates.TryAdd(key, Value(row)) is false)
                        Assert.Equal(wholeRates[key], Value(row));
                }
        // The whole is served beside the ancestors only, as a rate: with the batch's population (public, as every
        // commune's is) it gives the whole's count, which must not give a withheld région away by subtraction.
        Assert.Equal(conditions.Count * served.Keys.Select(k => k.Period).Distinct().Count(), wholeRates.Count);
        foreach (var (key, rate) in wholeRates)
            if (rate is { } r)
                served[key with { Statistic = "cases" }] = Math.Round(r * await api.Database.ScalarAsync<long>(
                    $"SELECT sum(population)::bigint FROM facts.health_count WHERE condition_code = '{key.Condition}' AND period = '{key.Period}'") / 1e5);
        partitions["whole/"] = territories.Where(t => t.Level == "region").Select(t => $"region/{t.Code}").ToList();
        foreach (var condition in conditions)
            foreach (var feature in (await analyst.GetFromJsonAsync<JsonElement>($"/ogc/collections/departement.{condition}.standardised_rate/items?limit=1000")).GetProperty("features").EnumerateArray())
            {
                var p = feature.GetProperty("properties");
                Same("OGC items", new Key($"departement/{p.GetProperty("code").GetString()}", condition, p.GetProperty("period").GetString()!, "standardised_rate"), Value(p));
            }

        // The communes' tiles at zoom 8 over the whole region, one condition's SIR.
        var (west, south, east, north) = await api.Database.ScalarAsync<double[]>("SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] FROM (SELECT ST_Extent(geom) e FROM geo.territory WHERE level = 'region') x") switch
        { var b => (b[0], b[1], b[2], b[3]) };
        var (x0, y0) = TilesApiTests.TileOf(west, north, 8);
        var (x1, y1) = TilesApiTests.TileOf(east, south, 8);
        for (var x = x0; x <= x1; x++)
            for (var y = y0; y <= y1; y++)
            {
                var response = await analyst.GetAsync($"/tiles/commune/8/{x}/{y}.mvt?condition={conditions[0]}&statistic=sir&period={latest}");
                if (response.StatusCode == HttpStatusCode.NoContent)
                    continue;
                foreach (var feature in new MapboxTileReader().Read(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), new NetTopologySuite.IO.VectorTiles.Tiles.Tile(x, y, 8)).Layers.Single().Features)
                    if ((string)feature.Attributes["state"] != "missing")
                        Same("tile", new Key($"commune/{feature.Attributes["code"]}", conditions[0], latest, "sir"),
                            feature.Attributes.Exists("value") ? Convert.ToDouble(feature.Attributes["value"], CultureInfo.InvariantCulture) : null);
            }

        // The custom zones' figures, as totals over their communes and over the EPCIs they are made of.
        foreach (var children in territories.Where(t => t.Parent is not null).GroupBy(t => t.Parent!))
            partitions[children.Key] = children.Select(t => $"{t.Level}/{t.Code}").ToList();
        foreach (var zone in (await analyst.GetFromJsonAsync<JsonElement>("/api/zonings")).EnumerateArray().Where(z => z.GetProperty("hasFigures").GetBoolean()))
        {
            var (zoning, code) = (zone.GetProperty("zoning").GetString()!, zone.GetProperty("code").GetString()!);
            foreach (var f in (await analyst.GetFromJsonAsync<JsonElement>($"/api/zonings/{Uri.EscapeDataString(zoning)}/{code}/health")).GetProperty("figures").EnumerateArray())
                served[new Key($"zone/{code}", f.GetProperty("condition").GetString()!, f.GetProperty("period").GetString()!, f.GetProperty("statistic").GetString()!)] = Value(f);
            foreach (var (level, members) in await ZoneMembersAsync(zoning, code))
                partitions[$"zone/{code}#{level}"] = members;
        }
        Assert.Contains(partitions.Keys, k => k.EndsWith("#epci", StringComparison.Ordinal));

        Assert.True(checkedValues > 100_000, $"only {checkedValues} values compared");
        NoSmallCountIsServed(served);
        NoSmallCountFollowsFromARateOrRatio(served);
        NoSmallCountFollowsBySubtraction(served, partitions);
    }

    /// <summary>The zone's communes, and the EPCIs it is made of when it is a union of whole EPCIs.</summary>
    private async Task<List<(string Level, List<string> Members)>> ZoneMembersAsync(string zoning, string code)
    {
        await using var command = api.Database.DataSource.CreateCommand("""
            SELECT c.code, e.code, (SELECT count(*) FROM geo.territory x WHERE x.parent_id = e.id)
            FROM geo.custom_zone z JOIN geo.territory c ON c.id = ANY (z.communes) JOIN geo.territory e ON e.id = c.parent_id
            WHERE z.zoning = $1 AND z.code = $2
            """);
        command.Parameters.Add(new() { Value = zoning });
        command.Parameters.Add(new() { Value = code });
        var rows = new List<(string Commune, string Epci, long EpciSize)>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        var groups = new List<(string, List<string>)> { ("commune", rows.Select(r => $"commune/{r.Commune}").ToList()) };
        if (rows.GroupBy(r => r.Epci).All(g => g.Count() == g.First().EpciSize))
            groups.Add(("epci", rows.Select(r => $"epci/{r.Epci}").Distinct().ToList()));
        return groups;
    }

    private static void NoSmallCountIsServed(Dictionary<Key, double?> served)
    {
        var counts = served.Where(s => s.Key.Statistic == "cases").ToList();
        Assert.True(counts.Count > 1233 * 5, $"only {counts.Count} counts read");
        Assert.Contains(counts, c => c.Value is null);
        Assert.DoesNotContain(counts, c => c.Value is >= 1 and <= 10);
    }

    /// <summary>A published SIR times the published expected cases, or a crude rate times the population, is the count.</summary>
    private static void NoSmallCountFollowsFromARateOrRatio(Dictionary<Key, double?> served)
    {
        double? Of(Key key, string statistic) => served.GetValueOrDefault(key with { Statistic = statistic });
        var derived = served.Keys.Where(k => k.Statistic == "cases").Select(k => (k, Sir: Of(k, "sir") * Of(k, "expected"), Crude: Of(k, "crude_rate") * Of(k, "population") / 1e5))
            .Where(d => d.Sir is > 0.5 and < 10.5 || d.Crude is > 0.5 and < 10.5).Select(d => d.k).ToList();
        Assert.True(derived.Count == 0, "small counts derived from published rates: " + string.Join(", ", derived.Take(5)));
    }

    /// <summary>
    /// A published total minus its published parts is what its withheld parts add up to: one withheld part would be
    /// given away, and withheld parts adding up to 1–10 would each be known to be at most 10. Totals: every territory
    /// over its children, every custom zone over its communes and over the EPCIs it is made of.
    /// </summary>
    private static void NoSmallCountFollowsBySubtraction(Dictionary<Key, double?> served, Dictionary<string, List<string>> partitions)
    {
        var leaks = new List<string>();
        var tables = served.Keys.Where(k => k.Statistic == "cases").Select(k => (k.Condition, k.Period)).Distinct().ToList();
        foreach (var (whole, parts) in partitions)
            foreach (var (condition, period) in tables)
            {
                var totalKey = new Key(whole.Split('#')[0], condition, period, "cases");
                if (served.GetValueOrDefault(totalKey) is not { } total)
                    continue;
                var values = parts.Select(p => served.TryGetValue(totalKey with { Territory = p }, out var v) ? v : null).ToList();
                var withheld = values.Count(v => v is null);
                if (withheld > 0 && (withheld == 1 || total - values.Sum(v => v ?? 0) is >= 1 and <= 10))
                    leaks.Add($"{whole} {condition} {period}: total {total}, published parts {values.Sum(v => v ?? 0)}, {withheld} withheld");
            }
        Assert.True(leaks.Count == 0, "published totals that give withheld parts away: " + string.Join("; ", leaks.Take(5)));
    }

    private async Task<Dictionary<Key, double?>> HealthRouteAsync(HttpClient analyst, List<(string Level, string Code, string? Parent)> territories)
    {
        var served = new Dictionary<Key, double?>();
        foreach (var (level, code, _) in territories)
        {
            var response = await analyst.GetAsync($"/api/territories/{level}/{code}/health");
            if (response.StatusCode == HttpStatusCode.NotFound)
                continue;
            foreach (var f in (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("figures").EnumerateArray())
                if (f.GetProperty("state").GetString() != "missing")
                    served[new Key($"{level}/{code}", f.GetProperty("condition").GetString()!, f.GetProperty("period").GetString()!, f.GetProperty("statistic").GetString()!)] = Value(f);
        }
        return served;
    }

    private async Task<List<(string Level, string Code, string? Parent)>> TerritoriesAsync()
    {
        var territories = new List<(string, string, string?)>();
        await using var command = api.Database.DataSource.CreateCommand(
            "SELECT t.level, t.code, p.level || '/' || p.code FROM geo.territory t LEFT JOIN geo.territory p ON p.id = t.parent_id WHERE t.level IN ('commune', 'epci', 'departement', 'region')");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            territories.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        return territories;
    }

    private static double? Value(JsonElement figure) => figure.GetProperty("value").ValueKind == JsonValueKind.Number ? figure.GetProperty("value").GetDouble() : null;

    private static double? Number(string cell) => cell.Length == 0 ? null : double.Parse(cell, CultureInfo.InvariantCulture);
}
