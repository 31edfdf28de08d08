using System.Text;

namespace Analytics.Models.Access;

/// <summary>
/// The Base32 alphabet of RFC 4648 §6 (<c>A–Z</c>, <c>2–7</c>), the form authenticator apps
/// expect for a TOTP key.
/// </summary>
/// <remarks>
/// Encoding pads with <c>=</c> to a multiple of eight characters, as RFC 4648 specifies; the
/// <c>otpauth://</c> key URI leaves the padding out (<see cref="Totp.ProvisioningUri"/>).
/// Decoding accepts lower case, missing padding and the spaces people type between groups.
/// </remarks>
public static class Base32
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var text = new StringBuilder((data.Length + 4) / 5 * 8);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                text.Append(Alphabet[(buffer >> bits) & 31]);
                buffer &= (1 << bits) - 1;
            }
        }
        if (bits > 0)
            text.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        while (text.Length % 8 != 0)
            text.Append('=');
        return text.ToString();
    }

    /// <summary>Decodes <paramref name="text"/>; false when it holds a character outside the alphabet or a length no encoding produces.</summary>
    public static bool TryDecode(string text, out byte[] data)
    {
        data = [];
        var symbols = text.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        // 8 symbols carry 5 bytes; 1, 3 and 6 leftover symbols cannot end a whole byte sequence.
        if (symbols.Length % 8 is 1 or 3 or 6)
            return false;
        var bytes = new byte[symbols.Length * 5 / 8];
        int buffer = 0, bits = 0, index = 0;
        foreach (var symbol in symbols)
        {
            var value = Alphabet.IndexOf(symbol, StringComparison.Ordinal);
            if (value < 0)
                return false;
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes[index++] = (byte)(buffer >> bits);
                buffer &= (1 << bits) - 1;
            }
        }
        data = bytes;
        return true;
    }
}
