namespace Analytics.Models.AuditTrail;

/// <summary>
/// Where the retained chain begins: the sequence number of its first event and the hash that event
/// links to. <see cref="Genesis"/> for a log never purged; after a purge, the last purged event's
/// number plus one and its hash (the anchor the purge recorded).
/// </summary>
public sealed record AuditChainStart(long NextSequence, AuditHash PreviousHash)
{
    public static AuditChainStart Genesis { get; } = new(1, AuditHash.Genesis);

    /// <summary>The chain continues after the last purged event.</summary>
    public static AuditChainStart After(long purgedThroughSequence, AuditHash purgedThroughHash) => new(purgedThroughSequence + 1, purgedThroughHash);
}
