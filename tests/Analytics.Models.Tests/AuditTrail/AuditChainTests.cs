using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Analytics.Models.AuditTrail;

namespace Analytics.Models.Tests.AuditTrail;

/// <summary>
/// Hand-built chains. The expected hashes were computed outside .NET, with Python's hashlib over
/// the canonical text written out below:
/// <c>hashlib.sha256(bytes(32) + text1.encode()).hexdigest()</c>, then
/// <c>hashlib.sha256(bytes.fromhex(h1) + text2.encode("utf-8")).hexdigest()</c>, and the
/// checkpoint signature with <c>hmac.new(bytes(range(32)), text, hashlib.sha256).hexdigest()</c>.
/// </summary>
public class AuditChainTests
{
    private const string FirstForm =
        """{"actor":"jdupont","details":{"decision":"approve","evidence":"fairness-report:4"},"kind":"review.approve","occurred_at":"2026-03-02T09:00:00.123456Z","prev_hash":"0000000000000000000000000000000000000000000000000000000000000000","seq":1,"subject":"release:12"}""";
    private const string FirstHash = "2b00ba33f8e7b7280b39168cfbe6e70a1f601b36530e012250ff8da153d3873e";
    private const string SecondHash = "b23f635259de0f57f42f8527e57961bb0c7ae3fc31cb88181287c3e1589caed0";
    private const string CheckpointSignature = "51f69421a7bfcbb8e31aee67e88c3b8a07db2c08007d22790352a9c75385b55f";

    private static readonly DateTimeOffset Nine = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly AuditEntry Approval = new("jdupont", AuditKinds.ReviewApprove, "release:12",
        new JsonObject { ["evidence"] = "fairness-report:4", ["decision"] = "approve" });

    private static readonly AuditEntry Load = new(AuditEntry.SystemActor, AuditKinds.IngestLoad, "batch:7",
        new JsonObject { ["ville"] = "Besançon", ["rows"] = 1208, ["share"] = 0.25 });

    private static (AuditEvent First, AuditEvent Second) TwoEvents()
    {
        // 123456.7 µs: the tenth of a microsecond is dropped, as PostgreSQL would.
        var first = AuditChain.Link(Approval, 1, Nine.AddTicks(1_234_567), AuditHash.Genesis);
        var second = AuditChain.Link(Load, 2, Nine.AddSeconds(1), first.Hash);
        return (first, second);
    }

    [Fact]
    public void the_first_event_hashes_its_canonical_form_after_the_genesis_value()
    {
        var (first, _) = TwoEvents();
        Assert.Equal(FirstForm, AuditChain.CanonicalForm(first.Sequence, first.OccurredAt, first.Actor, first.Kind, first.Subject, first.Details, first.PreviousHash));
        Assert.Equal(FirstHash, first.Hash.ToString());
        // The same, independently of AuditChain: SHA-256 over 32 zero bytes then the UTF-8 text.
        Assert.Equal(FirstHash, Convert.ToHexStringLower(SHA256.HashData([.. new byte[32], .. Encoding.UTF8.GetBytes(FirstForm)])));
    }

    [Fact]
    public void the_second_event_links_to_the_first_and_hashes_non_ascii_text_as_utf8()
    {
        var (first, second) = TwoEvents();
        Assert.Equal(first.Hash, second.PreviousHash);
        Assert.Equal(SecondHash, second.Hash.ToString());
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), first.OccurredAt);
    }

    [Fact]
    public void an_untouched_chain_verifies_and_reports_its_head()
    {
        var (first, second) = TwoEvents();
        var result = AuditChainVerifier.Verify([first, second], AuditChainStart.Genesis);
        Assert.True(result.IsIntact);
        Assert.Equal(2, result.EventsChecked);
        Assert.Equal((1, 2), (result.FirstSequence, result.LastSequence));
        Assert.Equal(SecondHash, result.Head.ToString());
        Assert.Equal(CheckpointOutcome.None, result.Checkpoint);
    }

    [Fact]
    public void an_empty_log_verifies_against_a_checkpoint_of_the_empty_log()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var empty = new AuditCheckpoint(0, AuditHash.Genesis, Nine).Sign(key);
        var result = AuditChainVerifier.Verify([], AuditChainStart.Genesis, empty, key);
        Assert.True(result.IsIntact);
        Assert.Equal(CheckpointOutcome.Matched, result.Checkpoint);
        Assert.Equal(0, result.LastSequence);
    }

    [Fact]
    public void a_checkpoint_is_signed_with_hmac_sha256_over_its_canonical_form_and_survives_its_file()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var head = TwoEvents().Second.Hash;
        var signed = new AuditCheckpoint(2, head, Nine.AddHours(1)).Sign(key);
        Assert.Equal(CheckpointSignature, signed.Signature);

        var text = signed.ToFileText();
        Assert.Equal($$"""{"created_at":"2026-03-02T10:00:00.000000Z","format":"onehealth-audit-checkpoint/1","head":"{{SecondHash}}","seq":2,"signature":"{{CheckpointSignature}}"}""" + "\n", text);
        var read = SignedCheckpoint.Parse(text);
        Assert.Equal(signed, read);
        Assert.True(read.IsSignedWith(key));
        Assert.False(read.IsSignedWith(key.Select(b => (byte)(b ^ 1)).ToArray()));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"format":"something else","seq":2}""")]
    [InlineData("""{"format":"onehealth-audit-checkpoint/1","seq":-1}""")]
    [InlineData("""{"format":"onehealth-audit-checkpoint/1","seq":2,"head":"00"}""")]
    public void a_file_that_is_not_a_checkpoint_is_refused_with_the_reason(string text) =>
        Assert.False(string.IsNullOrEmpty(Assert.Throws<FormatException>(() => SignedCheckpoint.Parse(text)).Message));

    [Fact]
    public void a_key_shorter_than_256_bits_cannot_sign()
    {
        var error = Assert.Throws<ArgumentException>(() => new AuditCheckpoint(1, AuditHash.Genesis, Nine).Sign(new byte[31]));
        Assert.Contains("at least 32 bytes", error.Message);
    }
}
