using System.Globalization;
using System.Text;
using Analytics.Models.Randomness;

namespace Analytics.Jobs.Demo;

/// <summary>
/// Synthetic, French-sounding place names built from syllables. They belong to no real place,
/// on purpose: the demo world must never be mistaken for real data.
/// </summary>
internal sealed class FrenchNames(SeededRandom random)
{
    private static readonly string[] MainlandStarts =
        ["Plou", "Ker", "Lan", "Tré", "Pont-", "Mont", "Saint-", "Sainte-", "Le ", "La ", "Ville", "Beau", "Roche", "Bois-",
         "Château", "Fontaine-", "Val-", "Bel", "Mor", "Gui", "Loc", "Pen", "Mes", "Cour", "Mar", "Ros"];
    private static readonly string[] OverseasStarts =
        ["Anse-", "Morne-", "Pointe-", "Baie-", "Saint-", "Sainte-", "Grand-", "Petit-", "Trois-", "Bras-", "Le ", "La "];
    private static readonly string[] Roots =
        ["mar", "gal", "ven", "dour", "bel", "lor", "nan", "vil", "cor", "sain", "mor", "tal", "bre", "ver", "lan",
         "ros", "fen", "gui", "meur", "ber", "quel", "drez", "tour", "len", "cam", "per", "sil", "dan", "gor", "lau"];
    private static readonly string[] Endings =
        ["ec", "ac", "y", "ville", "court", "mont", "ières", "eau", "an", "on", "ay", "ieux", "oët", "elin", "ouët", "as", "igné", "é", "in", "aine"];
    private static readonly string[] Qualifiers =
        ["-sur-Mer", "-en-Vallée", "-le-Grand", "-les-Bois", "-sur-Rance", "-des-Champs", "-la-Forêt", "-du-Lac"];

    /// <summary>A commune name; overseas names follow creole place-name patterns.</summary>
    public string Commune(bool overseas)
    {
        var starts = overseas ? OverseasStarts : MainlandStarts;
        var start = starts[random.NextInt(starts.Length)];
        var core = Roots[random.NextInt(Roots.Length)] + Endings[random.NextInt(Endings.Length)];
        var name = start.EndsWith('-') || start.EndsWith(' ') ? start + Capitalise(core) : start + core;
        if (random.NextDouble() < 0.12)
            name += Qualifiers[random.NextInt(Qualifiers.Length)];
        return name;
    }

    /// <summary>A département name in the style of rivers and coasts.</summary>
    public string Departement()
    {
        var river = Capitalise(Roots[random.NextInt(Roots.Length)] + Endings[random.NextInt(Endings.Length)]);
        return random.NextInt(5) switch
        {
            0 => "Haute-" + river,
            1 => river + "-et-" + Capitalise(Roots[random.NextInt(Roots.Length)] + "e"),
            2 => "Côtes-de-" + river,
            3 => river + "-Maritime",
            _ => river,
        };
    }

    /// <summary>A région name.</summary>
    public string Region() =>
        random.NextInt(3) switch
        {
            0 => "Pays-de-" + Capitalise(Roots[random.NextInt(Roots.Length)] + Endings[random.NextInt(Endings.Length)]),
            1 => Capitalise(Roots[random.NextInt(Roots.Length)] + Roots[random.NextInt(Roots.Length)] + "ie"),
            _ => "Grand-" + Capitalise(Roots[random.NextInt(Roots.Length)] + "est"),
        };

    /// <summary>Draws names until <paramref name="count"/> distinct ones exist.</summary>
    public List<string> Distinct(int count, Func<string> draw, ISet<string>? taken = null)
    {
        taken ??= new HashSet<string>(StringComparer.Ordinal);
        var names = new List<string>(count);
        while (names.Count < count)
        {
            var name = draw();
            if (taken.Add(name))
                names.Add(name);
        }
        return names;
    }

    /// <summary>Sort key that ignores accents, as alphabetical code lists do (stable across cultures).</summary>
    public static string SortKey(string name)
    {
        var decomposed = name.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                builder.Append(char.ToUpperInvariant(c));
        return builder.ToString();
    }

    private static string Capitalise(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}
