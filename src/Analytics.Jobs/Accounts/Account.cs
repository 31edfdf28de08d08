using System.Text.Json.Serialization;
using Analytics.Models.Access;

namespace Analytics.Jobs.Accounts;

/// <summary>
/// A person who can sign in, with the roles they hold and whether a second factor (TOTP) is
/// enrolled. Never carries the password hash or the TOTP secret out of the store. The security
/// stamp changes whenever the account is disabled or its password, roles or second factor change;
/// a sign-in under way (password given, code to come) carries it, and dies when it no longer matches.
/// </summary>
public sealed record Account(
    long Id, string UserName, string DisplayName, IReadOnlyList<string> Roles, bool IsDisabled, bool HasTotp,
    [property: JsonIgnore] Guid SecurityStamp)
{
    /// <summary>What signing in takes after the password.</summary>
    [JsonIgnore]
    public SecondFactorStep SecondFactor =>
        HasTotp ? SecondFactorStep.Code
        : Role.RequireSecondFactor(Roles) ? SecondFactorStep.Enrolment
        : SecondFactorStep.None;
}

/// <summary>The step after a correct password.</summary>
public enum SecondFactorStep
{
    /// <summary>None: the roles need no second factor and none is enrolled.</summary>
    None,

    /// <summary>A TOTP code from the enrolled authenticator.</summary>
    Code,

    /// <summary>The roles need a second factor and none is enrolled: enrol one, and nothing else, first.</summary>
    Enrolment,
}

/// <summary>A second factor being enrolled: the only moment its secret leaves the store, for the person to load into an authenticator app.</summary>
/// <param name="Secret">The key in Base32 without padding, for typing into an app.</param>
/// <param name="ProvisioningUri">The <c>otpauth://totp/…</c> URI (QR code content) carrying the same key.</param>
public sealed record TotpEnrolment(string Secret, string ProvisioningUri);

/// <summary>A personal API token as listed to its owner: never the secret, only its prefix.</summary>
public sealed record ApiTokenInfo(long Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

/// <summary>A token just issued: the only moment its secret exists outside the caller's hands.</summary>
public sealed record IssuedApiToken(ApiTokenInfo Info, string Secret);
