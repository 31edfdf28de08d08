using System.Text.Json;

namespace Analytics.Models.AuditTrail;

/// <summary>
/// One event of the audit log as stored: its place in the chain (<paramref name="Sequence"/>, from
/// 1 without gaps), when it happened (UTC, microseconds), what happened, and the two hashes that
/// chain it: <paramref name="PreviousHash"/> (the hash of event <c>Sequence − 1</c>, or
/// <see cref="AuditHash.Genesis"/>) and its own <paramref name="Hash"/> (see <see cref="AuditChain"/>).
/// </summary>
/// <remarks>
/// Read back from storage without validation: a tampered row must still be representable so that
/// <see cref="AuditChainVerifier"/> can say what is wrong with it.
/// </remarks>
public sealed record AuditEvent(
    long Sequence,
    DateTimeOffset OccurredAt,
    string Actor,
    string Kind,
    string Subject,
    JsonElement Details,
    AuditHash PreviousHash,
    AuditHash Hash);
