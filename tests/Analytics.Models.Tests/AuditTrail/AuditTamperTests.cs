using System.Text.Json;
using System.Text.Json.Nodes;
using Analytics.Models.AuditTrail;

namespace Analytics.Models.Tests.AuditTrail;

/// <summary>
/// The tamper test on a 200-event log held in memory: every single-row edit of each field, every
/// deletion, a forged event inserted before every event, every adjacent swap, and every
/// truncation of the last k events against a checkpoint of the head must be detected — at the
/// row where the damage is and for the reason it is — and the untouched log must verify.
/// </summary>
public class AuditTamperTests
{
    private const int Size = 200;
    private static readonly byte[] Key = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
    private static readonly string[] Actors = [AuditEntry.SystemActor, "jdupont", "mmartin", "l.petit@ars.sante.fr"];
    private static readonly string[] Kinds = [AuditKinds.SignIn, AuditKinds.IngestLoad, AuditKinds.ModelRun, AuditKinds.ReviewApprove, AuditKinds.Export, AuditKinds.AccountChange];

    /// <summary>Events 1…200, a few minutes apart, with varied actors, kinds, subjects and details.</summary>
    internal static List<AuditEvent> Log(int size = Size)
    {
        var events = new List<AuditEvent>();
        var previous = AuditHash.Genesis;
        for (var i = 1; i <= size; i++)
        {
            var entry = new AuditEntry(Actors[i % Actors.Length], Kinds[i % Kinds.Length], $"release:{i % 17}",
                new JsonObject { ["n"] = i, ["note"] = $"événement n°{i}", ["share"] = i / 8.0, ["tags"] = new JsonArray("a", i % 2 == 0) });
            var e = AuditChain.Link(entry, i, Start.AddMinutes(3 * i).AddTicks(10 * i), previous);
            events.Add(e);
            previous = e.Hash;
        }
        return events;
    }

    private static readonly List<AuditEvent> Untouched = Log();

    private static SignedCheckpoint HeadCheckpoint => new AuditCheckpoint(Size, Untouched[^1].Hash, Start.AddDays(1)).Sign(Key);

    private static AuditVerification Verify(IEnumerable<AuditEvent> events) =>
        AuditChainVerifier.Verify(events, AuditChainStart.Genesis, HeadCheckpoint, Key);

    private static List<AuditEvent> Replace(int index, AuditEvent replacement)
    {
        var copy = Untouched.ToList();
        copy[index] = replacement;
        return copy;
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    public static TheoryData<string> Fields => ["actor", "kind", "subject", "details", "time", "prev_hash", "hash"];

    [Fact]
    public void the_untouched_log_verifies_with_and_without_its_checkpoint()
    {
        var withCheckpoint = Verify(Untouched);
        Assert.True(withCheckpoint.IsIntact);
        Assert.Equal(Size, withCheckpoint.EventsChecked);
        Assert.Equal(CheckpointOutcome.Matched, withCheckpoint.Checkpoint);
        Assert.True(AuditChainVerifier.Verify(Untouched, AuditChainStart.Genesis).IsIntact);
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void an_edit_of_any_field_of_any_event_is_found_at_that_event(string field)
    {
        var detected = 0;
        for (var i = 0; i < Size; i++)
        {
            var e = Untouched[i];
            var edited = field switch
            {
                "actor" => e with { Actor = e.Actor + "x" },
                "kind" => e with { Kind = AuditKinds.Export == e.Kind ? AuditKinds.SignIn : AuditKinds.Export },
                "subject" => e with { Subject = "release:99" },
                // The same members and values in another order, plus one changed number: only the number counts.
                "details" => e with { Details = Json(FormattableString.Invariant($$"""{"tags":["a",{{(e.Sequence % 2 == 0 ? "true" : "false")}}],"share":{{e.Sequence / 8.0 + 1}},"note":"événement n°{{e.Sequence}}","n":{{e.Sequence}}}""")) },
                "time" => e with { OccurredAt = e.OccurredAt.AddTicks(10) },
                "prev_hash" => e with { PreviousHash = AuditHash.Of(e.PreviousHash.Bytes) },
                "hash" => e with { Hash = AuditHash.Of(e.Hash.Bytes) },
                _ => throw new ArgumentOutOfRangeException(nameof(field)),
            };
            var result = Verify(Replace(i, edited));
            var expectedKind = field == "prev_hash" ? AuditBreakKind.PreviousHashMismatch : AuditBreakKind.HashMismatch;
            if (!result.IsIntact && result.FirstBreak == new AuditBreak(e.Sequence, expectedKind, result.FirstBreak!.Detail))
                detected++;
        }
        Assert.Equal(Size, detected);
    }

    [Fact]
    public void reordering_the_members_of_the_details_is_not_an_edit()
    {
        var e = Untouched[41];
        var reordered = e with { Details = Json(FormattableString.Invariant($$"""{"tags":["a",true],"share":{{e.Sequence / 8.0}},"note":"événement n°{{e.Sequence}}","n":{{e.Sequence}}}""")) };
        Assert.True(Verify(Replace(41, reordered)).IsIntact);
    }

    [Fact]
    public void a_number_changed_beyond_double_precision_is_an_edit()
    {
        var e = Untouched[9];
        // n = 10 written as 10.000000000000000001: the same double, another stored value.
        var sneaky = e with { Details = Json($$"""{"n":10.000000000000000001,"note":"événement n°10","share":1.25,"tags":["a",true]}""") };
        Assert.Equal(AuditChain.ComputeHash(e), AuditChain.ComputeHash(sneaky));
        Assert.Equal(new AuditBreak(10, AuditBreakKind.HashMismatch, ""), Verify(Replace(9, sneaky)).FirstBreak! with { Detail = "" });
    }

    [Fact]
    public void every_single_deletion_is_found_the_last_one_through_the_checkpoint()
    {
        var detected = 0;
        for (var i = 0; i < Size; i++)
        {
            var result = Verify(Untouched.Where((_, j) => j != i));
            var expected = i == Size - 1 ? AuditBreakKind.Truncated : AuditBreakKind.SequenceGap;
            if (!result.IsIntact && result.FirstBreak is { } b && b.Sequence == i + 1 && b.Kind == expected)
                detected++;
        }
        Assert.Equal(Size, detected);
    }

    [Fact]
    public void a_forged_event_inserted_before_any_event_is_found_at_the_first_event_it_displaces()
    {
        // The forger links the forged event correctly to its predecessor and renumbers the rest:
        // the best a forger without the history can do. The event after it no longer links.
        var forged = new AuditEntry("jdupont", AuditKinds.ReviewApprove, "release:13", new JsonObject { ["evidence"] = "none" });
        var detected = 0;
        for (var position = 1; position <= Size; position++)
        {
            var previous = position == 1 ? AuditHash.Genesis : Untouched[position - 2].Hash;
            var log = Untouched.Take(position - 1).ToList();
            log.Add(AuditChain.Link(forged, position, Untouched[position - 1].OccurredAt.AddTicks(-10), previous));
            log.AddRange(Untouched.Skip(position - 1).Select(e => e with { Sequence = e.Sequence + 1 }));
            // Before the last event, the next one no longer links; in the last place, the forged event
            // takes the head's sequence number and contradicts the checkpoint there.
            var expected = position < Size ? (position + 1, AuditBreakKind.PreviousHashMismatch) : (Size, AuditBreakKind.CheckpointMismatch);
            var result = Verify(log);
            if (!result.IsIntact && result.FirstBreak is { } b && (b.Sequence, b.Kind) == expected)
                detected++;
        }
        Assert.Equal(Size, detected);
    }

    [Fact]
    public void every_swap_of_two_adjacent_events_is_found_at_the_first_of_them()
    {
        var detected = 0;
        for (var i = 0; i < Size - 1; i++)
        {
            // Rows keep their sequence numbers and exchange everything else, as an UPDATE would.
            var log = Untouched.ToList();
            log[i] = Untouched[i + 1] with { Sequence = Untouched[i].Sequence };
            log[i + 1] = Untouched[i] with { Sequence = Untouched[i + 1].Sequence };
            var result = Verify(log);
            if (!result.IsIntact && result.FirstBreak is { Kind: AuditBreakKind.PreviousHashMismatch } b && b.Sequence == i + 1)
                detected++;
        }
        Assert.Equal(Size - 1, detected);
    }

    [Fact]
    public void events_handed_over_out_of_order_are_found()
    {
        var log = Untouched.ToList();
        (log[50], log[51]) = (log[51], log[50]);
        Assert.Equal(AuditBreakKind.SequenceGap, Verify(log).FirstBreak?.Kind);
        log = Untouched.ToList();
        log.Insert(60, Untouched[59]);
        Assert.Equal(new AuditBreak(60, AuditBreakKind.SequenceRepeated, "event 60 comes where event 61 should"), Verify(log).FirstBreak);
    }

    [Fact]
    public void every_truncation_of_the_last_events_is_found_against_the_checkpoint_and_not_without_it()
    {
        var detected = 0;
        for (var k = 1; k <= Size; k++)
        {
            var result = Verify(Untouched.Take(Size - k));
            if (!result.IsIntact && result.FirstBreak is { Kind: AuditBreakKind.Truncated } b && b.Sequence == Size - k + 1
                && result.Checkpoint == CheckpointOutcome.Contradicted)
                detected++;
        }
        Assert.Equal(Size, detected);
        // Without a checkpoint a shorter log is just a shorter log: that is what checkpoints are for.
        Assert.True(AuditChainVerifier.Verify(Untouched.Take(150), AuditChainStart.Genesis).IsIntact);
    }

    [Fact]
    public void a_chain_rewritten_from_an_event_on_verifies_alone_but_not_against_a_later_checkpoint()
    {
        var log = Untouched.Take(99).ToList();
        var previous = log[^1].Hash;
        foreach (var e in Untouched.Skip(99))
        {
            var entry = new AuditEntry(e.Actor, e.Kind, e.Sequence == 100 ? "release:0" : e.Subject, JsonSerializer.Deserialize<JsonObject>(e.Details.GetRawText()));
            var rewritten = AuditChain.Link(entry, e.Sequence, e.OccurredAt, previous);
            log.Add(rewritten);
            previous = rewritten.Hash;
        }
        Assert.True(AuditChainVerifier.Verify(log, AuditChainStart.Genesis).IsIntact);
        var result = Verify(log);
        Assert.Equal((Size, AuditBreakKind.CheckpointMismatch), (result.FirstBreak!.Sequence, result.FirstBreak.Kind));
        Assert.Equal(CheckpointOutcome.Contradicted, result.Checkpoint);
    }

    [Fact]
    public void a_checkpoint_signed_with_another_key_fails_the_verification()
    {
        var forged = new AuditCheckpoint(150, Untouched[149].Hash, Start.AddDays(1)).Sign(Enumerable.Repeat((byte)7, 32).ToArray());
        var result = AuditChainVerifier.Verify(Untouched.Take(150), AuditChainStart.Genesis, forged, Key);
        Assert.False(result.IsIntact);
        Assert.Null(result.FirstBreak);
        Assert.Equal(CheckpointOutcome.NotAuthentic, result.Checkpoint);
        Assert.Equal(150, result.CheckpointSequence);
    }

    [Fact]
    public void an_event_appended_with_a_correct_hash_cannot_be_told_from_a_real_one()
    {
        // The limit of any keyless chain: who can write the table can append. Who may write it is
        // the database's business (append-only table, one application role), not the chain's.
        var appended = AuditChain.Link(new AuditEntry("mmartin", AuditKinds.Export, "release:3"), Size + 1, Start.AddDays(2), Untouched[^1].Hash);
        Assert.True(Verify([.. Untouched, appended]).IsIntact);
    }

    [Fact]
    public void after_a_purge_the_chain_verifies_from_its_anchor_and_an_older_checkpoint_is_set_aside()
    {
        var anchor = AuditChainStart.After(80, Untouched[79].Hash);
        var retained = Untouched.Skip(80).ToList();
        var withHead = AuditChainVerifier.Verify(retained, anchor, HeadCheckpoint, Key);
        Assert.True(withHead.IsIntact);
        Assert.Equal((81, 200, 120L), (withHead.FirstSequence, withHead.LastSequence, withHead.EventsChecked));

        var older = new AuditCheckpoint(50, Untouched[49].Hash, Start.AddHours(3)).Sign(Key);
        var result = AuditChainVerifier.Verify(retained, anchor, older, Key);
        Assert.True(result.IsIntact);
        Assert.Equal(CheckpointOutcome.PredatesRetainedEvents, result.Checkpoint);

        var wrongAnchor = AuditChainStart.After(80, Untouched[78].Hash);
        Assert.Equal(new AuditBreak(81, AuditBreakKind.PreviousHashMismatch, ""), AuditChainVerifier.Verify(retained, wrongAnchor).FirstBreak! with { Detail = "" });
    }
}
