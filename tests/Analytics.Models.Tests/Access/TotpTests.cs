using System.Text;
using Analytics.Models.Access;

namespace Analytics.Models.Tests.Access;

public class TotpTests
{
    // The seed of RFC 6238 Appendix B and RFC 4226 Appendix D for HMAC-SHA1.
    private static readonly byte[] RfcSecret = Encoding.ASCII.GetBytes("12345678901234567890");

    private static DateTimeOffset At(long unixSeconds) => DateTimeOffset.FromUnixTimeSeconds(unixSeconds);

    // RFC 6238 Appendix B, "Test Vectors", the SHA1 rows: time (s), T (hex), 8-digit TOTP.
    [Theory]
    [InlineData(59L, 0x0000000000000001L, "94287082")]
    [InlineData(1111111109L, 0x00000000023523ECL, "07081804")]
    [InlineData(1111111111L, 0x00000000023523EDL, "14050471")]
    [InlineData(1234567890L, 0x000000000273EF07L, "89005924")]
    [InlineData(2000000000L, 0x0000000003F940AAL, "69279037")]
    [InlineData(20000000000L, 0x0000000027BC86AAL, "65353130")]
    public void the_rfc_6238_sha1_test_vectors_give_their_step_and_code(long unixSeconds, long step, string code)
    {
        Assert.Equal(step, Totp.TimeStepAt(At(unixSeconds)));
        Assert.Equal(code, Totp.Code(RfcSecret, step, digits: 8));
    }

    // RFC 4226 Appendix D: the 6-digit HOTP values for counts 0–9 (a TOTP is the HOTP of the step).
    [Theory]
    [InlineData(0L, "755224")]
    [InlineData(1L, "287082")]
    [InlineData(2L, "359152")]
    [InlineData(3L, "969429")]
    [InlineData(4L, "338314")]
    [InlineData(5L, "254676")]
    [InlineData(6L, "287922")]
    [InlineData(7L, "162583")]
    [InlineData(8L, "399871")]
    [InlineData(9L, "520489")]
    public void six_digit_codes_are_the_rfc_4226_values(long counter, string code)
    {
        Assert.Equal(code, Totp.Code(RfcSecret, counter));
    }

    [Fact]
    public void a_code_is_accepted_one_step_either_side_and_not_two()
    {
        // "287082" is the code of step 1 (RFC 4226 count 1), i.e. of seconds 30–59.
        Assert.Equal(1, Totp.Verify(RfcSecret, "287082", At(45), lastUsedStep: null));
        Assert.Equal(1, Totp.Verify(RfcSecret, "287082", At(15), lastUsedStep: null));  // step 0: the phone runs ahead
        Assert.Equal(1, Totp.Verify(RfcSecret, "287082", At(75), lastUsedStep: null));  // step 2: typed slowly
        Assert.Null(Totp.Verify(RfcSecret, "287082", At(95), lastUsedStep: null));      // step 3: too late
    }

    [Fact]
    public void a_code_already_used_or_older_than_the_last_one_used_is_refused()
    {
        Assert.Null(Totp.Verify(RfcSecret, "287082", At(45), lastUsedStep: 1));
        Assert.Null(Totp.Verify(RfcSecret, "755224", At(45), lastUsedStep: 1));          // step 0, older
        Assert.Equal(2, Totp.Verify(RfcSecret, "359152", At(45), lastUsedStep: 1));      // step 2, the next code
    }

    [Theory]
    [InlineData("287083")]
    [InlineData("28708")]
    [InlineData("2870820")]
    [InlineData("28708a")]
    [InlineData("")]
    [InlineData(null)]
    public void a_wrong_or_malformed_code_is_refused(string? code)
    {
        Assert.Null(Totp.Verify(RfcSecret, code, At(45), lastUsedStep: null));
    }

    [Fact]
    public void a_code_typed_with_a_space_in_the_middle_is_accepted()
    {
        Assert.Equal(1, Totp.Verify(RfcSecret, "287 082", At(45), lastUsedStep: null));
    }

    [Fact]
    public void times_before_the_epoch_fall_in_negative_steps()
    {
        Assert.Equal(-1, Totp.TimeStepAt(At(-1)));
        Assert.Equal(-1, Totp.TimeStepAt(At(-30)));
        Assert.Equal(-2, Totp.TimeStepAt(At(-31)));
    }

    [Fact]
    public void the_provisioning_uri_follows_the_key_uri_format_with_an_unpadded_secret()
    {
        // "foobar" is "MZXW6YTBOI======" in RFC 4648 §10; the key URI drops the padding.
        var uri = Totp.ProvisioningUri(Encoding.ASCII.GetBytes("foobar"), "demo-admin");
        Assert.Equal("otpauth://totp/One%20Health:demo-admin?secret=MZXW6YTBOI&issuer=One%20Health&algorithm=SHA1&digits=6&period=30", uri);
    }

    [Fact]
    public void new_secrets_have_160_bits_and_differ()
    {
        var first = Totp.NewSecret();
        Assert.Equal(20, first.Length);
        Assert.NotEqual(first, Totp.NewSecret());
    }
}
