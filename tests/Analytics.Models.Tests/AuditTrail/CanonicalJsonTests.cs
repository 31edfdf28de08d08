using System.Globalization;
using System.Text;
using System.Text.Json;
using Analytics.Models.AuditTrail;

namespace Analytics.Models.Tests.AuditTrail;

/// <summary>
/// The JSON Canonicalization Scheme against the examples published in RFC 8785
/// (https://www.rfc-editor.org/rfc/rfc8785): the sample of §3.2.2 and its UTF-8 bytes of §3.2.4,
/// the sorting sample of §3.2.3 and the number table of Appendix B — and against the "weird" test
/// file of the RFC author's repository (github.com/cyberphone/json-canonicalization,
/// testdata/input/weird.json and testdata/output/weird.json).
/// </summary>
public class CanonicalJsonTests
{
    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    [Fact]
    public void the_sample_of_RFC_8785_section_3_2_2_gives_the_bytes_of_section_3_2_4()
    {
        const string sample = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50,
                          2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        const string bytesOfSection324 = """
            7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72
            75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a
            5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31
            65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37
            5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30
            30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d
            """;
        var expected = string.Concat(bytesOfSection324.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        var canonical = CanonicalJson.Serialize(Parse(sample));
        Assert.Equal(expected, Convert.ToHexStringLower(Encoding.UTF8.GetBytes(canonical)));
        // The same, as the text §3.2.3 prints it.
        Assert.Equal("""{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}""", canonical);
    }

    [Fact]
    public void members_sort_by_utf16_code_units_as_in_RFC_8785_section_3_2_3()
    {
        const string sample = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;
        var canonical = Parse(CanonicalJson.Serialize(Parse(sample)));
        Assert.Equal(
            ["Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis", "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh"],
            canonical.EnumerateObject().Select(m => m.Value.GetString()));
    }

    [Fact]
    public void the_weird_file_of_the_reference_test_data_canonicalises_as_published()
    {
        const string input = """
            {
              "\u20ac": "Euro Sign",
              "1": "One",
              "\u0080": "Control\u007f",
              "\ud83d\ude02": "Smiley",
              "\u00f6": "Latin Small Letter O With Diaeresis",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "</script>": "Browser Challenge"
            }
            """;
        // testdata/output/weird.json holds U+0080, U+007F and the rest as raw UTF-8; written here with C# escapes.
        const string output = "{\"1\":\"One\",\"</script>\":\"Browser Challenge\",\"\u0080\":\"Control\u007f\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\"," +
                              "\"\u20ac\":\"Euro Sign\",\"\ud83d\ude02\":\"Smiley\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";
        Assert.Equal(output, CanonicalJson.Serialize(Parse(input)));
    }

    // RFC 8785 Appendix B: IEEE 754 bit patterns and their JSON serialisation.
    [Theory]
    [InlineData("0000000000000000", "0")]
    [InlineData("8000000000000000", "0")]
    [InlineData("0000000000000001", "5e-324")]
    [InlineData("8000000000000001", "-5e-324")]
    [InlineData("7fefffffffffffff", "1.7976931348623157e+308")]
    [InlineData("ffefffffffffffff", "-1.7976931348623157e+308")]
    [InlineData("4340000000000000", "9007199254740992")]
    [InlineData("c340000000000000", "-9007199254740992")]
    [InlineData("4430000000000000", "295147905179352830000")]
    [InlineData("44b52d02c7e14af5", "9.999999999999997e+22")]
    [InlineData("44b52d02c7e14af6", "1e+23")]
    [InlineData("44b52d02c7e14af7", "1.0000000000000001e+23")]
    [InlineData("444b1ae4d6e2ef4e", "999999999999999700000")]
    [InlineData("444b1ae4d6e2ef4f", "999999999999999900000")]
    [InlineData("444b1ae4d6e2ef50", "1e+21")]
    [InlineData("3eb0c6f7a0b5ed8c", "9.999999999999997e-7")]
    [InlineData("3eb0c6f7a0b5ed8d", "0.000001")]
    [InlineData("41b3de4355555553", "333333333.3333332")]
    [InlineData("41b3de4355555554", "333333333.33333325")]
    [InlineData("41b3de4355555555", "333333333.3333333")]
    [InlineData("41b3de4355555556", "333333333.3333334")]
    [InlineData("41b3de4355555557", "333333333.33333343")]
    [InlineData("becbf647612f3696", "-0.0000033333333333333333")]
    [InlineData("43143ff3c1cb0959", "1424953923781206.2")]
    public void numbers_are_written_as_in_RFC_8785_appendix_B(string ieee754, string expected)
    {
        var value = BitConverter.UInt64BitsToDouble(ulong.Parse(ieee754, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.Equal(expected, CanonicalJson.FormatNumber(value));
        // And the same when the number comes from JSON text.
        Assert.Equal(expected, CanonicalJson.Serialize(Parse(value.ToString("R", CultureInfo.InvariantCulture))));
    }

    [Theory]
    [InlineData("7fffffffffffffff")] // NaN (Appendix B)
    [InlineData("7ff0000000000000")] // Infinity (Appendix B)
    public void NaN_and_infinity_have_no_json_form(string ieee754)
    {
        var value = BitConverter.UInt64BitsToDouble(ulong.Parse(ieee754, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.Throws<ArgumentException>(() => CanonicalJson.FormatNumber(value));
    }

    [Fact]
    public void a_number_beyond_the_range_of_a_double_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => CanonicalJson.Serialize(Parse("""{"n": 1e400}""")));
        Assert.Contains("outside the range of a double", error.Message);
    }

    [Fact]
    public void a_duplicate_member_name_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => CanonicalJson.Serialize(Parse("""{"a": 1, "b": 2, "a": 3}""")));
        Assert.Contains("'a' twice", error.Message);
    }

    [Theory]
    [InlineData("\"\\ud800\"")]
    [InlineData("\"a\\udc00b\"")]
    public void a_lone_surrogate_is_refused(string json) =>
        Assert.Throws<ArgumentException>(() => CanonicalJson.Serialize(Parse(json)));

    [Fact]
    public void every_control_character_is_escaped_with_the_short_forms_where_ecmascript_has_them()
    {
        var text = new StringBuilder();
        CanonicalJson.AppendString(text, "\u0000\u0001\b\t\n\u000b\f\r\u001f \u007f");
        Assert.Equal("\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f \u007f\"", text.ToString());
    }

    [Theory]
    [InlineData("4.50", true)]
    [InlineData("1E30", true)]
    [InlineData("-0", true)]
    [InlineData("0.000000000000000000000000001", true)]
    [InlineData("9007199254740992", true)]
    // 2^68 written out in full is a double, but its canonical form 295147905179352830000 is another
    // decimal: the stored text could change between the two without changing the hash.
    [InlineData("295147905179352825856", false)]
    [InlineData("333333333.33333329", false)]   // RFC 8785's own sample: its double is 333333333.3333333
    [InlineData("9007199254740993", false)]     // 2^53 + 1: no double holds it
    [InlineData("0.30000000000000000001", false)]
    public void a_number_is_exact_when_its_text_is_the_value_of_its_canonical_form(string number, bool exact) =>
        Assert.Equal(exact, CanonicalJson.NumbersAreExact(Parse($$"""{"a": [1, {"b": {{number}}}]}""")));
}
