using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Analytics.Models.AuditTrail;

/// <summary>
/// A checkpoint and its HMAC-SHA256 signature (64 hex digits), as written to a checkpoint file:
/// one line of canonical JSON with the checkpoint's members and <c>signature</c>.
/// </summary>
public sealed record SignedCheckpoint(AuditCheckpoint Checkpoint, string Signature)
{
    /// <summary>True when the signature was made with <paramref name="key"/> (compared in constant time).</summary>
    public bool IsSignedWith(ReadOnlySpan<byte> key)
    {
        if (Signature.Length != 2 * HMACSHA256.HashSizeInBytes || !Signature.All(char.IsAsciiHexDigit))
            return false;
        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Checkpoint.CanonicalForm()));
        return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(Signature));
    }

    /// <summary>The file text: the signed members and the signature, canonical JSON, one line.</summary>
    public string ToFileText()
    {
        var form = Checkpoint.CanonicalForm();
        // "signature" sorts after "seq", so appending it keeps the text canonical.
        return form[..^1] + ",\"signature\":\"" + Signature + "\"}\n";
    }

    /// <summary>Reads a checkpoint file's text. The signature is not checked here: see <see cref="IsSignedWith"/>.</summary>
    /// <exception cref="FormatException">The text is not a checkpoint file; the message says what is wrong.</exception>
    public static SignedCheckpoint Parse(string text)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new FormatException($"A checkpoint file holds one JSON object; this text is not JSON ({e.Message}).", e);
        }
        if (root.ValueKind != JsonValueKind.Object)
            throw new FormatException("A checkpoint file holds one JSON object.");
        if (Text(root, "format") != AuditCheckpoint.Format)
            throw new FormatException($"Not an audit checkpoint: its \"format\" is not \"{AuditCheckpoint.Format}\".");
        if (!root.TryGetProperty("seq", out var seq) || seq.ValueKind != JsonValueKind.Number || !seq.TryGetInt64(out var sequence) || sequence < 0)
            throw new FormatException("The checkpoint's \"seq\" is not a sequence number.");
        if (!AuditHash.TryParse(Text(root, "head"), out var head))
            throw new FormatException("The checkpoint's \"head\" is not 64 hexadecimal digits.");
        if (!DateTimeOffset.TryParseExact(Text(root, "created_at"), "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var createdAt))
            throw new FormatException("The checkpoint's \"created_at\" is not a UTC time with microseconds.");
        var signature = Text(root, "signature") ?? throw new FormatException("The checkpoint has no \"signature\".");
        return new SignedCheckpoint(new AuditCheckpoint(sequence, head, createdAt), signature);
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
