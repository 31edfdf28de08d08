using System.Security.Cryptography;

namespace Analytics.Models.AuditTrail;

/// <summary>
/// A SHA-256 value of the audit chain: an event's hash, the previous event's hash it links to, or
/// a checkpoint's head. Written as 64 lower-case hexadecimal digits.
/// </summary>
public sealed class AuditHash : IEquatable<AuditHash>
{
    public const int Length = SHA256.HashSizeInBytes;

    private readonly byte[] bytes;

    private AuditHash(byte[] bytes) => this.bytes = bytes;

    /// <summary>What the first event links to: 32 zero bytes.</summary>
    public static AuditHash Genesis { get; } = new(new byte[Length]);

    /// <summary>The hash held in <paramref name="value"/>, which must be exactly 32 bytes.</summary>
    public static AuditHash FromBytes(ReadOnlySpan<byte> value) => value.Length == Length
        ? new AuditHash(value.ToArray())
        : throw new ArgumentException($"A SHA-256 hash has {Length} bytes, not {value.Length}.", nameof(value));

    /// <summary>SHA-256 of <paramref name="data"/>.</summary>
    public static AuditHash Of(ReadOnlySpan<byte> data) => new(SHA256.HashData(data));

    /// <summary>Reads 64 hexadecimal digits.</summary>
    public static bool TryParse(string? hex, out AuditHash hash)
    {
        hash = Genesis;
        if (hex is null || hex.Length != 2 * Length || !hex.All(char.IsAsciiHexDigit))
            return false;
        hash = new AuditHash(Convert.FromHexString(hex));
        return true;
    }

    public ReadOnlySpan<byte> Bytes => bytes;

    public byte[] ToArray() => (byte[])bytes.Clone();

    public override string ToString() => Convert.ToHexStringLower(bytes);

    public bool Equals(AuditHash? other) => other is not null && bytes.AsSpan().SequenceEqual(other.bytes);

    public override bool Equals(object? obj) => Equals(obj as AuditHash);

    public override int GetHashCode() => BitConverter.ToInt32(bytes, 0);

    public static bool operator ==(AuditHash? left, AuditHash? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(AuditHash? left, AuditHash? right) => !(left == right);
}
