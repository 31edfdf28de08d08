using System.Globalization;

namespace Analytics.Jobs.Demo;

/// <summary>
/// Builds a synthetic French territory with known truth: territories, population and living
/// conditions, environment, animal and vector health, and health counts drawn from a documented
/// Poisson model with a planted under-ascertainment bias. The same seed and scale always give the
/// same world, draw for draw (each part draws from its own named random stream).
/// </summary>
public static class DemoWorldGenerator
{
    public static DemoWorld Generate(ulong seed, DemoScale scale)
    {
        var layout = TerritoryGenerator.Build(scale, seed);
        PopulationGenerator.Populate(scale, layout, seed);
        var environment = EnvironmentGenerator.Generate(scale, layout, seed);
        var oneHealth = OneHealthGenerator.Generate(layout, seed);
        var health = HealthGenerator.Generate(layout.Communes, environment, oneHealth, seed);
        return new DemoWorld
        {
            Seed = seed,
            Scale = scale,
            Communes = layout.Communes,
            Groupings = Groupings(layout),
            Environment = environment,
            OneHealth = oneHealth,
            Health = health,
        };
    }

    /// <summary>Generates the world and writes every file under <paramref name="directory"/>; returns the paths written, relative to it.</summary>
    public static IReadOnlyList<string> GenerateTo(ulong seed, DemoScale scale, string directory) =>
        DemoWorldWriter.Write(Generate(seed, scale), directory);

    private static List<DemoTerritory> Groupings(DemoLayout layout)
    {
        var communes = layout.Communes;
        var result = new List<DemoTerritory>();
        foreach (var level in new[] { DemoLevel.Epci, DemoLevel.Departement, DemoLevel.Region })
            foreach (var g in layout.Groups.Where(g => g.Level == level).OrderBy(g => g.Code, StringComparer.Ordinal))
            {
                var population = g.Members.Sum(m => communes[m].ReferencePopulation);
                var name = level == DemoLevel.Epci ? EpciName(g, communes, population) : g.Name;
                result.Add(new DemoTerritory(level, g.Code, name, g.ParentCode, Dissolve.Union(g.Members.Select(m => communes[m].Geometry)), population));
            }
        return result;
    }

    // EPCI take the name of their largest commune and a form that follows their size, as the law's thresholds do.
    private static string EpciName(DemoGroup epci, IReadOnlyList<DemoCommune> communes, long population)
    {
        var main = epci.Members.Select(m => communes[m]).OrderByDescending(c => c.ReferencePopulation).ThenBy(c => c.Code, StringComparer.Ordinal).First();
        return population switch
        {
            >= 400_000 => $"{main.Name} Métropole",
            >= 50_000 => $"Communauté d'agglomération {main.Name} Agglomération",
            _ => string.Create(CultureInfo.InvariantCulture, $"Communauté de communes du Pays de {main.Name}"),
        };
    }
}
