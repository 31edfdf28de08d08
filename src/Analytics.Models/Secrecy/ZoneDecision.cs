namespace Analytics.Models.Secrecy;

/// <summary>Why a custom zone is refused.</summary>
public enum ZoneRefusalKind
{
    /// <summary>The zone itself has fewer residents than the minimum.</summary>
    TooSmall,

    /// <summary>It differs from one published zone by a few residents (nested either way, or overlapping).</summary>
    DifferenceWithZone,

    /// <summary>Published zones inside it cover all of it but a few residents.</summary>
    DifferenceWithZonesInside,

    /// <summary>The zones of one published zoning that meet it cover it and only a few residents more.</summary>
    DifferenceWithCover,
}

/// <summary>
/// One way a reader could isolate a small group of communes: subtracting <see cref="Against"/>
/// from the custom zone (or the other way round) leaves <see cref="Communes"/>, with only
/// <see cref="Population"/> residents.
/// </summary>
public sealed record ZoneRefusal(ZoneRefusalKind Kind, string Against, IReadOnlyList<string> Communes, long Population)
{
    public override string ToString() => Kind == ZoneRefusalKind.TooSmall
        ? $"the zone has {Population} residents"
        : $"{Kind}: against {Against}, the difference is {string.Join(", ", Communes)} ({Population} residents)";
}

/// <summary>Accepted, or refused with every reason found.</summary>
public sealed record ZoneDecision(IReadOnlyList<ZoneRefusal> Refusals)
{
    public bool Accepted => Refusals.Count == 0;
}
