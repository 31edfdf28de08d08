namespace Analytics.Models.AuditTrail;

/// <summary>What the first broken link of the chain is.</summary>
public enum AuditBreakKind
{
    /// <summary>The event's content no longer gives its hash: it was edited.</summary>
    HashMismatch,

    /// <summary>Sequence numbers jump: the events in between were deleted.</summary>
    SequenceGap,

    /// <summary>A sequence number comes again or goes back: events were duplicated or reordered.</summary>
    SequenceRepeated,

    /// <summary>The event does not link to the hash of the one before it: an event was inserted, or events were swapped or reordered.</summary>
    PreviousHashMismatch,

    /// <summary>The chain at the checkpoint's sequence number has another hash than the checkpoint: the log was rewritten up to there.</summary>
    CheckpointMismatch,

    /// <summary>The log ends before the checkpoint's sequence number: its last events were deleted.</summary>
    Truncated,
}

/// <summary>What became of the checkpoint a verification was given.</summary>
public enum CheckpointOutcome
{
    /// <summary>No checkpoint was given: truncation of the last events cannot be detected.</summary>
    None,

    /// <summary>Authentic, and the chain holds exactly its head at its sequence number.</summary>
    Matched,

    /// <summary>Its signature does not verify under the configured key: it proves nothing and the verification fails.</summary>
    NotAuthentic,

    /// <summary>Authentic, but it covers only events purged since: it can no longer be compared.</summary>
    PredatesRetainedEvents,

    /// <summary>Authentic, and the chain disagrees with it: see the first break.</summary>
    Contradicted,

    /// <summary>Authentic, but the chain broke before its sequence number, so it was not compared.</summary>
    NotReached,
}

/// <summary>The first broken link: the sequence number where the chain stops holding, and why.</summary>
public sealed record AuditBreak(long Sequence, AuditBreakKind Kind, string Detail);

/// <summary>
/// The outcome of walking the chain in sequence order. <see cref="IsIntact"/> when no link is
/// broken and any checkpoint given is authentic; otherwise <see cref="FirstBreak"/> says where
/// the chain first fails (events after it were not checked) or <see cref="Checkpoint"/> that the
/// checkpoint is not authentic.
/// </summary>
/// <param name="EventsChecked">Events whose links held, before the first break if any.</param>
/// <param name="FirstSequence">Sequence number the retained chain starts at (1 unless events were purged).</param>
/// <param name="LastSequence">Sequence number of the last event checked; <c>FirstSequence − 1</c> when none.</param>
/// <param name="Head">Hash of the last event checked (the start's hash when none).</param>
/// <param name="FirstBreak">The first broken link, if any.</param>
/// <param name="Checkpoint">What became of the checkpoint given.</param>
/// <param name="CheckpointSequence">The sequence number the checkpoint given covers, if one was given.</param>
public sealed record AuditVerification(
    long EventsChecked,
    long FirstSequence,
    long LastSequence,
    AuditHash Head,
    AuditBreak? FirstBreak,
    CheckpointOutcome Checkpoint,
    long? CheckpointSequence)
{
    public bool IsIntact => FirstBreak is null && Checkpoint != CheckpointOutcome.NotAuthentic;
}
