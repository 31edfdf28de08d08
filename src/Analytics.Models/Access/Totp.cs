using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Analytics.Models.Access;

/// <summary>
/// Time-based one-time passwords (RFC 6238) as authenticator apps compute them: HMAC-SHA1 over
/// the number of 30-second steps since the Unix epoch, truncated to 6 digits (RFC 4226 §5.3).
/// </summary>
/// <remarks>
/// <para>A code is accepted for the current step and one step either side (RFC 6238 §5.2 allows
/// for clock drift and typing time), so a code lives about 90 seconds.</para>
/// <para>Replay: <see cref="Verify"/> returns the step the code belongs to. The caller stores it
/// and passes it back as <c>lastUsedStep</c>; a code of that step or an earlier one is then
/// refused, so a code seen over someone's shoulder cannot be used a second time.</para>
/// <para>SHA-1 only: it is what authenticator apps support everywhere, and HMAC-SHA1 is not
/// weakened by SHA-1's collision attacks.</para>
/// </remarks>
public static class Totp
{
    /// <summary>Digits in a code.</summary>
    public const int Digits = 6;

    /// <summary>Seconds per time step.</summary>
    public const int StepSeconds = 30;

    /// <summary>Secret length: 160 bits, the length RFC 4226 §4 recommends for HMAC-SHA1.</summary>
    public const int SecretBytes = 20;

    /// <summary>The issuer shown in authenticator apps.</summary>
    public const string Issuer = "One Health";

    /// <summary>A new random secret of <see cref="SecretBytes"/> bytes.</summary>
    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(SecretBytes);

    /// <summary>The time step <paramref name="time"/> falls in: whole 30-second steps since 1970-01-01T00:00:00Z.</summary>
    public static long TimeStepAt(DateTimeOffset time) => Math.DivRem(time.ToUnixTimeSeconds(), StepSeconds) switch
    {
        var (quotient, remainder) when remainder < 0 => quotient - 1,
        var (quotient, _) => quotient,
    };

    /// <summary>The code for <paramref name="timeStep"/> (RFC 4226 HOTP with the step as counter), zero-padded to <paramref name="digits"/>.</summary>
    public static string Code(ReadOnlySpan<byte> secret, long timeStep, int digits = Digits)
    {
        if (digits is < 6 or > 8)
            throw new ArgumentOutOfRangeException(nameof(digits), digits, "RFC 4226 codes have 6 to 8 digits.");
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, timeStep);
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
        HMACSHA1.HashData(secret, counter, hash);
        // Dynamic truncation (RFC 4226 §5.3): 31 bits read at the offset named by the last nibble.
        var offset = hash[^1] & 0x0f;
        var binary = BinaryPrimitives.ReadInt32BigEndian(hash[offset..]) & 0x7fffffff;
        var modulus = (int)Math.Pow(10, digits);
        return (binary % modulus).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }

    /// <summary>
    /// Checks a typed code against the steps around <paramref name="now"/>. Returns the step the
    /// code belongs to, or null when it matches none, is not <see cref="Digits"/> digits, or
    /// belongs to <paramref name="lastUsedStep"/> or an earlier step (a replay).
    /// </summary>
    /// <remarks>Every candidate step is computed and compared in constant time, so the time taken says nothing about how close a guess was.</remarks>
    public static long? Verify(ReadOnlySpan<byte> secret, string? code, DateTimeOffset now, long? lastUsedStep)
    {
        var typed = (code ?? "").Replace(" ", "", StringComparison.Ordinal);
        if (typed.Length != Digits || !typed.All(char.IsAsciiDigit))
            return null;
        var typedBytes = Encoding.ASCII.GetBytes(typed);
        var current = TimeStepAt(now);
        long? matched = null;
        for (var step = current - 1; step <= current + 1; step++)
        {
            var equal = CryptographicOperations.FixedTimeEquals(typedBytes, Encoding.ASCII.GetBytes(Code(secret, step)));
            if (equal && step > (lastUsedStep ?? long.MinValue))
                matched = step;
        }
        return matched;
    }

    /// <summary>
    /// The <c>otpauth://totp/</c> key URI that authenticator apps import (Google Authenticator's
    /// "Key Uri Format"): label <c>One Health:account</c>, unpadded Base32 secret, issuer,
    /// algorithm, digits and period stated explicitly.
    /// </summary>
    public static string ProvisioningUri(ReadOnlySpan<byte> secret, string accountName)
    {
        var issuer = Uri.EscapeDataString(Issuer);
        return $"otpauth://totp/{issuer}:{Uri.EscapeDataString(accountName)}" +
               $"?secret={Base32.Encode(secret).TrimEnd('=')}&issuer={issuer}&algorithm=SHA1&digits={Digits}&period={StepSeconds}";
    }
}
