using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Analytics.Models.AuditTrail;

/// <summary>
/// The head of the chain at a moment — the sequence number of the last event and its hash — kept
/// outside the database. A later verification that finds the log shorter than the checkpoint, or
/// a different hash at the checkpoint's sequence number, proves truncation or rewriting that the
/// chain alone cannot show. <see cref="Sequence"/> 0 is the empty log (head <see cref="AuditHash.Genesis"/>).
/// </summary>
public sealed record AuditCheckpoint(long Sequence, AuditHash Head, DateTimeOffset CreatedAt)
{
    /// <summary>Names the format inside the signed text, so that a signature over something else never passes for a checkpoint.</summary>
    public const string Format = "onehealth-audit-checkpoint/1";

    /// <summary>Shortest key accepted for signing: 256 bits, as long as the HMAC-SHA256 output.</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>The canonical JSON (RFC 8785) text that is signed.</summary>
    public string CanonicalForm()
    {
        var text = new StringBuilder("{\"created_at\":\"")
            .Append(AuditChain.Precise(CreatedAt).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture))
            .Append("\",\"format\":");
        CanonicalJson.AppendString(text, Format);
        return text.Append(",\"head\":\"").Append(Head).Append("\",\"seq\":").Append(Sequence.ToString(CultureInfo.InvariantCulture)).Append('}').ToString();
    }

    /// <summary>Signs the checkpoint with HMAC-SHA256 under <paramref name="key"/> (at least <see cref="MinimumKeyBytes"/> bytes).</summary>
    public SignedCheckpoint Sign(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinimumKeyBytes)
            throw new ArgumentException($"A checkpoint key needs at least {MinimumKeyBytes} bytes; this one has {key.Length}.", nameof(key));
        return new SignedCheckpoint(this, Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(CanonicalForm()))));
    }
}
