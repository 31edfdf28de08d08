using System.Text;
using Analytics.Models.Access;

namespace Analytics.Models.Tests.Access;

public class Base32Tests
{
    // RFC 4648 §10, "Test Vectors": BASE32("") = "" … BASE32("foobar") = "MZXW6YTBOI======".
    [Theory]
    [InlineData("", "")]
    [InlineData("f", "MY======")]
    [InlineData("fo", "MZXQ====")]
    [InlineData("foo", "MZXW6===")]
    [InlineData("foob", "MZXW6YQ=")]
    [InlineData("fooba", "MZXW6YTB")]
    [InlineData("foobar", "MZXW6YTBOI======")]
    public void the_rfc_4648_test_vectors_encode_and_decode(string plain, string encoded)
    {
        Assert.Equal(encoded, Base32.Encode(Encoding.ASCII.GetBytes(plain)));
        Assert.True(Base32.TryDecode(encoded, out var decoded));
        Assert.Equal(plain, Encoding.ASCII.GetString(decoded));
    }

    [Fact]
    public void decoding_accepts_lower_case_missing_padding_and_spaces_between_groups()
    {
        Assert.True(Base32.TryDecode("mzxw 6ytb oi", out var decoded));
        Assert.Equal("foobar", Encoding.ASCII.GetString(decoded));
    }

    [Theory]
    [InlineData("MZXW6YT1")] // '1' is not in the alphabet (it would be confused with 'I')
    [InlineData("MZXW6YTBO")] // 9 symbols: the 9th carries 5 bits, not a whole byte
    [InlineData("M")]
    public void text_that_no_encoding_produces_is_refused(string text)
    {
        Assert.False(Base32.TryDecode(text, out _));
    }

    [Fact]
    public void every_byte_value_survives_a_round_trip()
    {
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        Assert.True(Base32.TryDecode(Base32.Encode(all), out var decoded));
        Assert.Equal(all, decoded);
    }
}
