using Analytics.Jobs.Exports;
using Analytics.Jobs.Ingest;
using System.Globalization;
using NetTopologySuite.Geometries;

namespace Analytics.Jobs.Demo;

/// <summary>
/// Writes a demo world as the files real users receive (see data/README.md for every column).
/// Everything is written in a fixed order with invariant formatting and no timestamps, so the
/// same world always gives the same bytes.
/// </summary>
internal static class DemoWorldWriter
{
    private static readonly string[] HealthHeader = ["territory_code", "level", "period", "condition_code", "sex", "age_band", "cases", "population"];

    public static IReadOnlyList<string> Write(DemoWorld world, string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        string PathOf(string name)
        {
            written.Add(name);
            return Path.Combine(directory, name);
        }

        WriteTerritories(world, PathOf);
        WritePopulation(world, PathOf("population_commune.csv"));
        WriteSocioEconomic(world, PathOf("socioeconomic_commune.csv"));
        WriteGrid(world, PathOf("environment_grid_1km.csv.gz"));
        WriteStations(world, PathOf("no2_stations.csv"));
        WriteEnvironmentByCommune(world, PathOf("environment_commune.csv"));
        WritePesticides(world, PathOf("pesticide_sales_postcode.geojson"));
        WriteTigerMosquito(world, PathOf("tiger_mosquito_commune.csv"));
        WriteLymeZones(world, PathOf("lyme_risk_zones.geojson"));
        WriteAvianInfluenza(world, PathOf("avian_influenza_outbreaks.geojson"));
        WriteHealth(world, world.Health.RecordedCases, PathOf("health_commune.csv.gz"));
        WriteHealth(world, world.Health.TrueCases, PathOf("validation/health_true_counts.csv.gz"));
        WriteCovariates(world, PathOf("validation/commune_covariates.csv"));
        TruthDocument.WriteJson(world, PathOf("truth.json"));
        TruthDocument.WriteMarkdown(world, PathOf("TRUTH.md"));
        return written;
    }

    private static void WriteTerritories(DemoWorld world, Func<string, string> pathOf)
    {
        var layers = new List<GeoPackageLayer>();
        var communeColumns = new List<(string, string)>
        {
            ("code", "TEXT"), ("name", "TEXT"), ("level", "TEXT"), ("parent_code", "TEXT"), ("departement_code", "TEXT"),
            ("region_code", "TEXT"), ("density_class", "TEXT"), ("population", "INTEGER"), ("area_km2", "REAL"),
        };
        var communes = world.Communes.OrderBy(c => c.Code, StringComparer.Ordinal).Select(c => new DemoFeature(c.Geometry,
        [
            ("code", c.Code), ("name", c.Name), ("level", Levels.Commune), ("parent_code", c.EpciCode), ("departement_code", c.DepartementCode),
            ("region_code", c.RegionCode), ("density_class", DensityName(c.DensityClass)), ("population", c.ReferencePopulation),
            ("area_km2", Math.Round(c.AreaKm2, 3)),
        ])).ToList();
        layers.Add(new GeoPackageLayer(Levels.Commune, "Communes (synthetic demo world)", 2154, communeColumns, Rows(communes)));
        GeoJsonFile.Write(pathOf("territories_commune.geojson"), communes);

        var columns = new List<(string, string)> { ("code", "TEXT"), ("name", "TEXT"), ("level", "TEXT"), ("parent_code", "TEXT"), ("population", "INTEGER"), ("area_km2", "REAL") };
        foreach (var level in new[] { DemoLevel.Epci, DemoLevel.Departement, DemoLevel.Region })
        {
            var name = LevelName(level);
            var features = world.Groupings.Where(t => t.Level == level).Select(t => new DemoFeature(t.Geometry,
            [
                ("code", t.Code), ("name", t.Name), ("level", name), ("parent_code", t.ParentCode), ("population", t.Population),
                ("area_km2", Math.Round(t.Geometry.Area / 1e6, 3)),
            ])).ToList();
            layers.Add(new GeoPackageLayer(name, $"{name} (synthetic demo world), union of its communes", 2154, columns, Rows(features)));
            GeoJsonFile.Write(pathOf($"territories_{name}.geojson"), features);
        }
        // A fixed last-change date keeps the file byte-identical for a seed.
        GeoPackageFile.Write(pathOf("territories.gpkg"), layers, "2024-01-01T00:00:00.000Z");
    }

    private static List<GeoPackageFeature> Rows(IEnumerable<DemoFeature> features) =>
        features.Select(f => new GeoPackageFeature(f.Geometry, f.Properties.Select(p => p.Value).ToList())).ToList();

    private static void WritePopulation(DemoWorld world, string path)
    {
        using var csv = DemoCsv.Create(path, "commune_code", "year", "sex", "age_band", "population");
        foreach (var c in ByCode(world))
            for (var t = 0; t < DemoWorld.Years.Count; t++)
                for (var s = 0; s < 2; s++)
                    for (var a = 0; a < AgeBands.All.Count; a++)
                        csv.Row(c.Code, Year(t), ((Sex)s).ToString(), AgeBands.All[a], DemoCsv.Integer(c.Population[t, s, a]));
    }

    private static void WriteSocioEconomic(DemoWorld world, string path)
    {
        using var csv = DemoCsv.Create(path, "commune_code", "commune_name", "epci_code", "departement_code", "region_code", "overseas",
            "density_class", "population", "area_km2", "density_per_km2", "deprivation_index", "deprivation_quintile",
            "median_income_eur", "unemployment_rate", "gp_accessibility_apl");
        foreach (var c in ByCode(world))
            csv.Row(c.Code, c.Name, c.EpciCode, c.DepartementCode, c.RegionCode, c.Overseas ? "1" : "0", DensityName(c.DensityClass),
                DemoCsv.Integer(c.ReferencePopulation), DemoCsv.Number(c.AreaKm2, 3), DemoCsv.Number(c.ReferencePopulation / c.AreaKm2, 1),
                DemoCsv.Number(c.Deprivation, 3), DemoCsv.Integer(c.DeprivationQuintile), DemoCsv.Number(Math.Round(c.MedianIncomeEur / 10) * 10, 0),
                DemoCsv.Number(c.UnemploymentRate, 3), DemoCsv.Number(c.GpAccessibility, 1));
    }

    private static void WriteGrid(DemoWorld world, string path)
    {
        var e = world.Environment;
        using var csv = DemoCsv.Create(path, "x_l93", "y_l93", "year", "pm25_ugm3", "no2_ugm3", "o3_ugm3", "heatwave_days");
        var order = Enumerable.Range(0, e.Cells.Count).OrderBy(i => e.Cells[i].Y).ThenBy(i => e.Cells[i].X);
        foreach (var i in order)
        {
            var x = DemoCsv.Integer(e.Cells[i].X);
            var y = DemoCsv.Integer(e.Cells[i].Y);
            for (var t = 0; t < DemoWorld.Years.Count; t++)
                csv.Row(x, y, Year(t), DemoCsv.Number(e.Pm25[i, t], 1), DemoCsv.Number(e.No2[i, t], 1), DemoCsv.Number(e.O3[i, t], 1),
                    DemoCsv.Integer(e.HeatwaveDays[i, t]));
        }
    }

    private static void WriteStations(DemoWorld world, string path)
    {
        using var csv = DemoCsv.Create(path, "station_code", "station_name", "station_type", "x_l93", "y_l93", "longitude", "latitude",
            "commune_code", "year", "no2_ugm3");
        foreach (var s in world.Environment.Stations.OrderBy(s => s.Code, StringComparer.Ordinal))
        {
            var (lon, lat) = Lambert93.ToWgs84(s.X, s.Y);
            for (var t = 0; t < DemoWorld.Years.Count; t++)
                csv.Row(s.Code, s.Name, s.Type, DemoCsv.Number(s.X, 1), DemoCsv.Number(s.Y, 1), DemoCsv.Number(lon, 6), DemoCsv.Number(lat, 6),
                    world.Communes[s.Commune].Code, Year(t), DemoCsv.Number(s.No2[t], 1));
        }
    }

    private static void WriteEnvironmentByCommune(DemoWorld world, string path)
    {
        using var csv = DemoCsv.Create(path, "commune_code", "radon_potential_class", "drinking_water_nonconformity_share");
        foreach (var c in ByCode(world))
            csv.Row(c.Code, DemoCsv.Integer(world.Environment.RadonClass[c.Index]), DemoCsv.Number(world.Environment.WaterNonConformity[c.Index], 3));
    }

    private static void WritePesticides(DemoWorld world, string path)
    {
        var o = world.OneHealth;
        GeoJsonFile.Write(path, o.PostcodeZones.Select((z, i) => new DemoFeature(z.Geometry,
        [
            ("postcode", z.Code), ("departement_code", z.DepartementCode), ("communes", z.Members.Count),
            .. DemoWorld.Years.Select((year, t) => ($"qsa_kg_{year}", (object?)o.PesticideKg[i, t])),
        ])).OrderBy(f => (string)f.Properties[0].Value!, StringComparer.Ordinal));
    }

    private static void WriteTigerMosquito(DemoWorld world, string path)
    {
        using var csv = DemoCsv.Create(path, "commune_code", "year", "colonised");
        foreach (var c in ByCode(world))
            for (var t = 0; t < DemoWorld.Years.Count; t++)
                csv.Row(c.Code, Year(t), world.OneHealth.TigerMosquito[c.Index, t] ? "1" : "0");
    }

    private static void WriteLymeZones(DemoWorld world, string path)
    {
        string[] fr = ["faible", "modéré", "élevé"];
        string[] en = ["low", "moderate", "high"];
        GeoJsonFile.Write(path, world.OneHealth.LymeZones.Select(z =>
        {
            var risk = int.Parse(z.Code[(z.Code.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture);
            return new DemoFeature(z.Geometry,
            [
                ("zone_code", z.Code), ("departement_code", z.DepartementCode), ("risk_class", risk),
                ("risk_label_fr", fr[risk - 1]), ("risk_label_en", en[risk - 1]), ("communes", z.Members.Count),
            ]);
        }));
    }

    private static void WriteAvianInfluenza(DemoWorld world, string path) =>
        GeoJsonFile.Write(path, world.OneHealth.AvianInfluenza.Select(o => new DemoFeature(DemoOutlines.Factory.CreatePoint(new Coordinate(o.X, o.Y)),
        [
            ("outbreak_id", o.Id), ("date", o.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("species_group", o.SpeciesGroup),
            ("subtype", o.Subtype), ("commune_code", world.Communes[o.Commune].Code),
        ])));

    private static void WriteHealth(DemoWorld world, int[] cases, string path)
    {
        using var csv = DemoCsv.Create(path, HealthHeader);
        foreach (var c in ByCode(world))
            for (var t = 0; t < DemoWorld.Years.Count; t++)
                for (var k = 0; k < HealthModel.Conditions.Count; k++)
                    for (var s = 0; s < 2; s++)
                        for (var a = 0; a < AgeBands.All.Count; a++)
                            csv.Row(c.Code, Levels.Commune, Year(t), HealthModel.Conditions[k].Code, ((Sex)s).ToString(), AgeBands.All[a],
                                DemoCsv.Integer(cases[DemoHealth.Cell(c.Index, t, k, s, a)]), DemoCsv.Integer(c.Population[t, s, a]));
    }

    private static void WriteCovariates(DemoWorld world, string path)
    {
        using var csv = DemoCsv.Create(path, "commune_code", "year", "pm25", "no2", "heatwave_days", "tick_class", "deprivation",
            "spatial_effect", "ascertainment");
        var e = world.Environment;
        foreach (var c in ByCode(world))
            for (var t = 0; t < DemoWorld.Years.Count; t++)
                csv.Row(c.Code, Year(t), DemoCsv.Number(e.CommunePm25[c.Index, t], 6), DemoCsv.Number(e.CommuneNo2[c.Index, t], 6),
                    DemoCsv.Number(e.CommuneHeatwaveDays[c.Index, t], 6), DemoCsv.Integer(world.OneHealth.TickRiskClass[c.Index]),
                    DemoCsv.Number(c.Deprivation, 6), DemoCsv.Number(c.SpatialEffect, 6),
                    DemoCsv.Number(HealthModel.IsUnderAscertained(c) ? HealthModel.UnderAscertainment : 1, 2));
    }

    private static IEnumerable<DemoCommune> ByCode(DemoWorld world) => world.Communes.OrderBy(c => c.Code, StringComparer.Ordinal);

    private static string Year(int t) => DemoCsv.Integer(DemoWorld.Years[t]);

    internal static string DensityName(DensityClass d) => d switch
    {
        DensityClass.Urban => "urban",
        DensityClass.Intermediate => "intermediate",
        _ => "rural",
    };

    internal static string LevelName(DemoLevel level) => level switch
    {
        DemoLevel.Commune => Levels.Commune,
        DemoLevel.Epci => Levels.Epci,
        DemoLevel.Departement => Levels.Departement,
        _ => Levels.Region,
    };
}
