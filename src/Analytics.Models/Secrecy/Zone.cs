namespace Analytics.Models.Secrecy;

/// <summary>A zone as a set of communes (INSEE COG codes): an EPCI, a CPTS, a custom zoning's zone.</summary>
public sealed record Zone(string Code, IReadOnlySet<string> Communes)
{
    public Zone(string code, params string[] communes) : this(code, new HashSet<string>(communes, StringComparer.Ordinal))
    {
    }
}

/// <summary>A published zoning: the zones data are already published for (communes, EPCI, départements, accepted custom zones…).</summary>
public sealed record PublishedZoning(string Name, IReadOnlyList<Zone> Zones);
