using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Analytics.Models.AuditTrail;

/// <summary>
/// The JSON Canonicalization Scheme (JCS, RFC 8785): the one text a JSON value serialises to, so
/// that two programs hashing "the same" value hash the same bytes. Object members sorted by the
/// UTF-16 code units of their names, no insignificant whitespace, strings escaped as ECMAScript's
/// <c>JSON.stringify</c> does, numbers written as ECMAScript's <c>Number.prototype.toString</c>
/// writes an IEEE 754 double; the result is hashed as UTF-8.
/// </summary>
/// <remarks>
/// Refuses what RFC 8785 (through I-JSON, RFC 7493) cannot represent: duplicate member names,
/// numbers outside the finite double range, strings holding a lone UTF-16 surrogate.
/// </remarks>
public static class CanonicalJson
{
    /// <summary>The canonical text of <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">The value holds something JCS cannot represent.</exception>
    public static string Serialize(JsonElement value)
    {
        var text = new StringBuilder();
        Append(text, value);
        return text.ToString();
    }

    /// <summary>Appends the canonical text of <paramref name="value"/>.</summary>
    public static void Append(StringBuilder text, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var members = value.EnumerateObject().ToList();
                // Ordinal comparison of .NET strings is comparison of UTF-16 code units, which is what RFC 8785 §3.2.3 sorts by.
                members.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                text.Append('{');
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0)
                    {
                        if (members[i].Name == members[i - 1].Name)
                            throw new ArgumentException($"The JSON object has the member '{members[i].Name}' twice.", nameof(value));
                        text.Append(',');
                    }
                    AppendString(text, members[i].Name);
                    text.Append(':');
                    Append(text, members[i].Value);
                }
                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!first)
                        text.Append(',');
                    Append(text, item);
                    first = false;
                }
                text.Append(']');
                break;
            case JsonValueKind.String:
                AppendString(text, ReadString(value));
                break;
            case JsonValueKind.Number:
                if (!value.TryGetDouble(out var number) || !double.IsFinite(number))
                    throw new ArgumentException($"The JSON number {Shorten(value.GetRawText())} is outside the range of a double.", nameof(value));
                text.Append(FormatNumber(number));
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            case JsonValueKind.Null:
                text.Append("null");
                break;
            default:
                throw new ArgumentException($"A JSON value of kind {value.ValueKind} has no canonical form.", nameof(value));
        }
    }

    /// <summary>
    /// Appends <paramref name="value"/> as a JSON string: <c>"</c> and <c>\</c> escaped, the
    /// control characters U+0000–U+001F as <c>\b \t \n \f \r</c> or <c>\u00xx</c> (lower-case hex),
    /// everything else as it is (RFC 8785 §3.2.2.2).
    /// </summary>
    public static void AppendString(StringBuilder text, string value)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\t': text.Append("\\t"); break;
                case '\n': text.Append("\\n"); break;
                case '\f': text.Append("\\f"); break;
                case '\r': text.Append("\\r"); break;
                default:
                    if (c < 0x20)
                        text.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                        text.Append(c).Append(value[++i]);
                    else if (char.IsSurrogate(c))
                        throw new ArgumentException($"The text holds a lone UTF-16 surrogate (U+{(int)c:X4}) at position {i}, which is not Unicode text.", nameof(value));
                    else
                        text.Append(c);
                    break;
            }
        }
        text.Append('"');
    }

    /// <summary>
    /// A finite double as ECMAScript's <c>Number.prototype.toString</c> writes it (ECMA-262,
    /// Number::toString): the shortest digits that read back as the same double, in plain notation
    /// for decimal exponents from −7 to 20 and as <c>d.ddde±x</c> outside; −0 is <c>0</c>.
    /// </summary>
    public static string FormatNumber(double value)
    {
        if (!double.IsFinite(value))
            throw new ArgumentException("NaN and the infinities have no JSON form.", nameof(value));
        if (value == 0)
            return "0";
        // .NET's round-trip format gives the shortest digits that read back as the same double; only their layout differs from ECMAScript's.
        var roundTrip = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = roundTrip[0] == '-';
        var body = negative ? roundTrip[1..] : roundTrip;
        var exponentAt = body.IndexOf('E');
        var mantissa = exponentAt < 0 ? body : body[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(body[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.');
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        // value = 0.digits × 10^n, in ECMA-262's terms: n is where the decimal point falls relative to the digits.
        var n = (point < 0 ? mantissa.Length : point) + exponent;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        n -= leadingZeros;
        var k = digits.Length;

        var result = new StringBuilder(negative ? "-" : "");
        if (k <= n && n <= 21)
            result.Append(digits).Append('0', n - k);
        else if (0 < n && n <= 21)
            result.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        else if (-6 < n && n <= 0)
            result.Append("0.").Append('0', -n).Append(digits);
        else
        {
            result.Append(digits[0]);
            if (k > 1)
                result.Append('.').Append(digits, 1, k - 1);
            var e = n - 1;
            result.Append('e').Append(e < 0 ? '-' : '+').Append(Math.Abs(e).ToString(CultureInfo.InvariantCulture));
        }
        return result.ToString();
    }

    /// <summary>
    /// True when every number in <paramref name="value"/> is written with exactly the decimal value
    /// of its canonical form: <c>4.50</c> and <c>1e30</c> are; <c>0.30000000000000000001</c> is not,
    /// nor is 2^68 written out in full (<c>295147905179352825856</c>, canonical
    /// <c>295147905179352830000</c>). Two such values with equal canonical text hold equal numbers,
    /// so a hash over the canonical text covers every digit that was stored.
    /// </summary>
    public static bool NumbersAreExact(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in value.EnumerateObject())
                    if (!NumbersAreExact(member.Value))
                        return false;
                return true;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                    if (!NumbersAreExact(item))
                        return false;
                return true;
            case JsonValueKind.Number:
                if (!value.TryGetDouble(out var number) || !double.IsFinite(number))
                    return false;
                var written = DecimalValue(value.GetRawText());
                return written is not null && written == DecimalValue(FormatNumber(number));
            default:
                return true;
        }
    }

    /// <summary>A JSON number's exact value as sign, significant digits and power of ten; null when its exponent is absurd.</summary>
    private static (bool Negative, string Digits, long Exponent)? DecimalValue(string number)
    {
        var negative = number.StartsWith('-');
        var body = negative ? number[1..] : number;
        var exponentAt = body.IndexOfAny(['e', 'E']);
        long exponent = 0;
        if (exponentAt >= 0 && !long.TryParse(body[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
            return null;
        var mantissa = exponentAt < 0 ? body : body[..exponentAt];
        var point = mantissa.IndexOf('.');
        if (point >= 0)
        {
            exponent -= mantissa.Length - point - 1;
            mantissa = mantissa.Remove(point, 1);
        }
        var digits = mantissa.TrimStart('0');
        if (digits.Length == 0)
            return (false, "", 0);
        var trimmed = digits.TrimEnd('0');
        return (negative, trimmed, exponent + digits.Length - trimmed.Length);
    }

    private static string ReadString(JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"The JSON string {Shorten(value.GetRawText())} is not Unicode text: {e.Message}", nameof(value), e);
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
