namespace Analytics.Models.AuditTrail;

/// <summary>
/// Walks the chain one event at a time, in sequence order, and stops at the first broken link —
/// so a log of millions of events is checked while it streams, never held in memory.
/// </summary>
/// <remarks>
/// For each event, in this order: its sequence number must be the next one (a jump is a deletion);
/// its previous hash must be the hash of the event before (otherwise something was inserted,
/// swapped or reordered); its content must give its hash (otherwise it was edited); and at the
/// checkpoint's sequence number its hash must be the checkpoint's head. At the end, a log that
/// stops before the checkpoint was truncated.
/// <para>What the chain cannot show: events appended at the end with correct hashes (anyone who can
/// write the table can compute SHA-256), and the last events deleted after the latest checkpoint.
/// A rewrite of the whole chain from some event on shows only against a checkpoint taken after it.</para>
/// </remarks>
public sealed class AuditChainVerifier
{
    private readonly AuditChainStart start;
    private readonly AuditCheckpoint? checkpoint;
    private readonly CheckpointOutcome initialOutcome;
    private readonly long? checkpointSequence;
    private long expected;
    private AuditHash previous;
    private long checkedCount;
    private bool checkpointMatched;

    /// <param name="start">Where the retained chain begins (<see cref="AuditChainStart.Genesis"/> for a log never purged).</param>
    /// <param name="checkpoint">A checkpoint to hold the chain to, if any.</param>
    /// <param name="checkpointKey">The key the checkpoint must be signed with; required with a checkpoint.</param>
    public AuditChainVerifier(AuditChainStart start, SignedCheckpoint? checkpoint = null, ReadOnlySpan<byte> checkpointKey = default)
    {
        this.start = start;
        expected = start.NextSequence;
        previous = start.PreviousHash;
        if (checkpoint is null)
            return;
        if (checkpointKey.IsEmpty)
            throw new ArgumentException("A checkpoint can be used only with the key that signs checkpoints.", nameof(checkpointKey));
        checkpointSequence = checkpoint.Checkpoint.Sequence;
        if (!checkpoint.IsSignedWith(checkpointKey))
        {
            initialOutcome = CheckpointOutcome.NotAuthentic;
            return;
        }
        this.checkpoint = checkpoint.Checkpoint;
        var purgedThrough = start.NextSequence - 1;
        if (this.checkpoint.Sequence < purgedThrough)
            initialOutcome = CheckpointOutcome.PredatesRetainedEvents;
        else if (this.checkpoint.Sequence == purgedThrough && this.checkpoint.Head != start.PreviousHash)
            FirstBreak = new AuditBreak(purgedThrough, AuditBreakKind.CheckpointMismatch,
                $"the chain starts after event {purgedThrough} with hash {start.PreviousHash}, but the checkpoint has {this.checkpoint.Head} there");
        else if (this.checkpoint.Sequence == purgedThrough)
            checkpointMatched = true;
    }

    /// <summary>The first broken link found so far.</summary>
    public AuditBreak? FirstBreak { get; private set; }

    /// <summary>Checks the next event. Returns false once the chain is broken: later events need not be read.</summary>
    public bool Add(AuditEvent e)
    {
        if (FirstBreak is not null)
            return false;
        if (e.Sequence != expected)
        {
            FirstBreak = e.Sequence > expected
                ? new AuditBreak(expected, AuditBreakKind.SequenceGap,
                    e.Sequence == expected + 1 ? $"event {expected} is missing" : $"events {expected} to {e.Sequence - 1} are missing")
                : new AuditBreak(e.Sequence, AuditBreakKind.SequenceRepeated, $"event {e.Sequence} comes where event {expected} should");
            return false;
        }
        if (e.PreviousHash != previous)
        {
            FirstBreak = new AuditBreak(e.Sequence, AuditBreakKind.PreviousHashMismatch,
                $"event {e.Sequence} links to {e.PreviousHash}, but the event before it has hash {previous}");
            return false;
        }
        if (!CanonicalJson.NumbersAreExact(e.Details) || AuditChain.ComputeHash(e) != e.Hash)
        {
            FirstBreak = new AuditBreak(e.Sequence, AuditBreakKind.HashMismatch, $"the content of event {e.Sequence} does not give its hash {e.Hash}");
            return false;
        }
        if (checkpoint is not null && e.Sequence == checkpoint.Sequence)
        {
            if (e.Hash != checkpoint.Head)
            {
                FirstBreak = new AuditBreak(e.Sequence, AuditBreakKind.CheckpointMismatch,
                    $"event {e.Sequence} has hash {e.Hash}, but the checkpoint of {checkpoint.CreatedAt:u} has {checkpoint.Head}: the chain was rewritten up to here");
                return false;
            }
            checkpointMatched = true;
        }
        previous = e.Hash;
        expected++;
        checkedCount++;
        return true;
    }

    /// <summary>The outcome, once every event was added (or the chain broke).</summary>
    public AuditVerification Finish()
    {
        if (FirstBreak is null && checkpoint is not null && !checkpointMatched && initialOutcome != CheckpointOutcome.PredatesRetainedEvents)
            FirstBreak = new AuditBreak(expected, AuditBreakKind.Truncated,
                $"the log ends at event {expected - 1}, but the checkpoint of {checkpoint.CreatedAt:u} covers events up to {checkpoint.Sequence}");
        var outcome = initialOutcome switch
        {
            CheckpointOutcome.NotAuthentic or CheckpointOutcome.PredatesRetainedEvents => initialOutcome,
            _ when checkpoint is null => CheckpointOutcome.None,
            _ when FirstBreak?.Kind is AuditBreakKind.CheckpointMismatch or AuditBreakKind.Truncated => CheckpointOutcome.Contradicted,
            _ when checkpointMatched => CheckpointOutcome.Matched,
            _ => CheckpointOutcome.NotReached,
        };
        return new AuditVerification(checkedCount, start.NextSequence, expected - 1, previous, FirstBreak, outcome, checkpointSequence);
    }

    /// <summary>Verifies events held in memory, in the order given.</summary>
    public static AuditVerification Verify(IEnumerable<AuditEvent> events, AuditChainStart start, SignedCheckpoint? checkpoint = null, byte[]? checkpointKey = null)
    {
        var verifier = new AuditChainVerifier(start, checkpoint, checkpointKey);
        foreach (var e in events)
            if (!verifier.Add(e))
                break;
        return verifier.Finish();
    }
}
