using System.Text.Json.Nodes;
using Analytics.Models.AuditTrail;

namespace Analytics.Models.Tests.AuditTrail;

/// <summary>What may be written to the audit log: no secrets, ever, and nothing that could not be chained.</summary>
public class AuditEntryTests
{
    private static AuditEntry WithDetails(JsonObject details) => new("jdupont", AuditKinds.AccountChange, "account:mmartin", details);

    [Theory]
    [InlineData("password")]
    [InlineData("Password")]
    [InlineData("new_password")]
    [InlineData("newPassword")]
    [InlineData("PASSWORD_HASH")]
    [InlineData("mot_de_passe")]
    [InlineData("motDePasse")]
    [InlineData("mdp")]
    [InlineData("passwd")]
    [InlineData("token")]
    [InlineData("api_token")]
    [InlineData("accessToken")]
    [InlineData("secret")]
    [InlineData("client-secret")]
    [InlineData("totp")]
    [InlineData("totpSeed")]
    [InlineData("otp")]
    [InlineData("OTP_code")]
    [InlineData("apiKey")]
    [InlineData("API_KEY")]
    [InlineData("Authorization")]
    public void a_member_named_like_a_secret_is_refused(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => WithDetails(new JsonObject { [name] = "whatever" }));
        Assert.Contains($"$.{name}", error.Message);
        Assert.DoesNotContain("whatever", error.Message);
    }

    [Fact]
    public void a_secret_is_refused_however_deep_it_is_nested()
    {
        var details = new JsonObject
        {
            ["account"] = new JsonObject { ["changes"] = new JsonArray(new JsonObject { ["field"] = "roles" }, new JsonObject { ["totp_secret"] = "JBSWY3DPEHPK3PXP" }) },
        };
        var error = Assert.Throws<ArgumentException>(() => WithDetails(details));
        Assert.Contains("$.account.changes[1].totp_secret", error.Message);
        Assert.DoesNotContain("JBSWY3DPEHPK3PXP", error.Message);
    }

    [Theory]
    [InlineData("footprint", false)]    // holds the letters o-t-p, not the word
    [InlineData("tot_pop", false)]      // total population, which run together spells "totpop"
    [InlineData("secrecy_rule", false)] // statistical secrecy
    [InlineData("pass_rate", false)]
    [InlineData("token_count", true)]   // the word itself, whatever follows
    [InlineData("userPassword2", true)]
    public void a_name_is_secret_by_its_words_not_by_the_letters_it_contains(string name, bool secret) =>
        Assert.Equal(secret, AuditSecrets.IsSecretName(name));

    [Theory]
    [InlineData("Bearer oht_Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4")]
    [InlineData("oht_abcdefghijklmnop")]
    [InlineData("otpauth://totp/OneHealth:jdupont?secret=JBSWY3DPEHPK3PXP&issuer=OneHealth")]
    [InlineData("OTPAUTH://TOTP/x?secret=AAAA")]
    public void a_value_holding_an_api_token_or_an_otpauth_uri_is_refused_wherever_it_is(string value)
    {
        Assert.Throws<ArgumentException>(() => WithDetails(new JsonObject { ["note"] = value }));
        Assert.Throws<ArgumentException>(() => WithDetails(new JsonObject { ["list"] = new JsonArray("ok", value) }));
        Assert.Throws<ArgumentException>(() => new AuditEntry("jdupont", AuditKinds.Export, value));
        Assert.Throws<ArgumentException>(() => new AuditEntry(value, AuditKinds.Export, "release:1"));
    }

    [Fact]
    public void a_token_display_prefix_and_ordinary_details_pass()
    {
        var entry = WithDetails(new JsonObject { ["prefix"] = "oht_Ab3dE9", ["roles"] = new JsonArray("auditor", "admin"), ["count"] = 3 });
        Assert.Equal("oht_Ab3dE9", entry.Details.GetProperty("prefix").GetString());
    }

    [Theory]
    [InlineData("review.approve")]
    [InlineData("export")]
    [InlineData("auth.sign_in")]
    [InlineData("audit.purge")]
    public void well_formed_kinds_are_accepted(string kind) =>
        Assert.Equal(kind, new AuditEntry("system", kind, "").Kind);

    [Theory]
    [InlineData("")]
    [InlineData("Review.Approve")]
    [InlineData("review approve")]
    [InlineData("review.")]
    [InlineData(".approve")]
    [InlineData("1review")]
    public void malformed_kinds_are_refused(string kind)
    {
        var error = Assert.Throws<ArgumentException>(() => new AuditEntry("system", kind, ""));
        Assert.Equal("kind", error.ParamName);
    }

    [Fact]
    public void an_empty_actor_text_with_NUL_and_numbers_a_double_cannot_hold_are_refused()
    {
        Assert.Equal("actor", Assert.Throws<ArgumentException>(() => new AuditEntry(" ", AuditKinds.Export, "")).ParamName);
        Assert.Equal("subject", Assert.Throws<ArgumentException>(() => new AuditEntry("system", AuditKinds.Export, "a\0b")).ParamName);
        Assert.Equal("details", Assert.Throws<ArgumentException>(() => WithDetails(new JsonObject { ["note"] = "a\0b" })).ParamName);
        var big = Assert.Throws<ArgumentException>(() => WithDetails(new JsonObject { ["id"] = JsonValue.Create(9007199254740993m) }));
        Assert.Contains("write it as a string", big.Message);
        Assert.Equal(9007199254740992L, WithDetails(new JsonObject { ["id"] = 9007199254740992L }).Details.GetProperty("id").GetInt64());
    }

    [Fact]
    public void the_details_are_a_snapshot_taken_when_the_entry_is_made()
    {
        var details = new JsonObject { ["roles"] = "analyst" };
        var entry = WithDetails(details);
        details["roles"] = "admin";
        Assert.Equal("analyst", entry.Details.GetProperty("roles").GetString());
    }
}
