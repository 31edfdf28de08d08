using Analytics.Models.AuditTrail;

namespace Analytics.Jobs.AuditTrail;

/// <summary>Why the audit log could not do what was asked.</summary>
public enum AuditRefusal
{
    /// <summary>Not configured for it: no checkpoint key, or a key file that cannot serve.</summary>
    NotConfigured,

    /// <summary>A checkpoint file cannot be read or is not a checkpoint.</summary>
    UnusableCheckpointFile,

    /// <summary>The chain is broken, so nothing is signed or purged: the evidence stays as it is.</summary>
    ChainBroken,
}

/// <summary>
/// The audit log cannot do what was asked (see <see cref="Refusal"/>). The message says why and what to do.
/// </summary>
public sealed class AuditTrailException(AuditRefusal refusal, string message, AuditVerification? verification = null) : Exception(message)
{
    public AuditRefusal Refusal { get; } = refusal;

    /// <summary>The failed verification behind <see cref="AuditRefusal.ChainBroken"/>.</summary>
    public AuditVerification? Verification { get; } = verification;
}
