using System.ComponentModel.DataAnnotations;
using Analytics.Models.Access;

namespace Analytics.Api.Access;

/// <summary>Session cookies, sign-in rate limits and the optional OpenID Connect provider. Bound from the <c>Access</c> section.</summary>
public sealed class AccessOptions : IValidatableObject
{
    public const string Section = "Access";

    /// <summary>
    /// <c>Always</c> (default): cookies are marked Secure and named with the <c>__Host-</c> prefix, so
    /// browsers send them over HTTPS only (and to http://localhost). <c>SameAsRequest</c>: Secure only
    /// on HTTPS requests, no prefix — for plain-HTTP test hosts.
    /// </summary>
    public CookieSecurePolicy CookieSecure { get; set; } = CookieSecurePolicy.Always;

    /// <summary>Sign-in requests (password, code, enrolment) accepted per minute from one network address.</summary>
    [Range(1, 100_000, ErrorMessage = "Access:SignInAttemptsPerMinutePerAddress must be between 1 and 100000.")]
    public int SignInAttemptsPerMinutePerAddress { get; set; } = 30;

    /// <summary>Sign-in requests (password, code, enrolment confirmation) accepted per minute for one user name.</summary>
    [Range(1, 100_000, ErrorMessage = "Access:SignInAttemptsPerMinutePerUserName must be between 1 and 100000.")]
    public int SignInAttemptsPerMinutePerUserName { get; set; } = 10;

    /// <summary>Bearer tokens from an OpenID Connect provider; off while <see cref="OidcOptions.Authority"/> is empty.</summary>
    public OidcOptions Oidc { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CookieSecure is not (CookieSecurePolicy.Always or CookieSecurePolicy.SameAsRequest))
            yield return new ValidationResult("Access:CookieSecure must be Always or SameAsRequest.", [nameof(CookieSecure)]);
        if (!Oidc.IsEnabled)
            yield break;
        if (!Uri.TryCreate(Oidc.Authority, UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps)
            yield return new ValidationResult("Access:Oidc:Authority must be the https:// address of the provider (its issuer, e.g. https://sso.example.fr/realms/ars).", [nameof(Oidc)]);
        if (string.IsNullOrWhiteSpace(Oidc.Audience))
            yield return new ValidationResult("Access:Oidc:Audience must name the audience the provider puts in tokens for this API.", [nameof(Oidc)]);
        if (string.IsNullOrWhiteSpace(Oidc.GroupClaim) || string.IsNullOrWhiteSpace(Oidc.NameClaim))
            yield return new ValidationResult("Access:Oidc:GroupClaim and Access:Oidc:NameClaim must name claims of the provider's tokens.", [nameof(Oidc)]);
        foreach (var (group, role) in Oidc.GroupRoles.Where(g => !Role.IsKnown(g.Value)))
            yield return new ValidationResult($"Access:Oidc:GroupRoles maps '{group}' to '{role}', which is not a role. Roles are: {string.Join(", ", Role.All)}.", [nameof(Oidc)]);
    }
}

/// <summary>
/// An OpenID Connect provider (Keycloak, ProConnect, …) whose access tokens the API accepts as
/// <c>Authorization: Bearer</c>. Roles come only from the provider's groups through
/// <see cref="GroupRoles"/>: a person in no mapped group is signed in with no role and refused everywhere.
/// </summary>
public sealed class OidcOptions
{
    /// <summary>The provider's issuer address; its discovery document gives the signing keys. Empty: OpenID Connect is off.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience (<c>aud</c>) tokens must carry.</summary>
    public string? Audience { get; set; }

    /// <summary>The claim listing the person's groups (default <c>groups</c>, as Keycloak's group mapper emits).</summary>
    public string GroupClaim { get; set; } = "groups";

    /// <summary>The claim used as user name (default <c>preferred_username</c>; <c>sub</c> when a token lacks it).</summary>
    public string NameClaim { get; set; } = "preferred_username";

    /// <summary>Group → role. A person gets the role of each of their groups listed here; several groups give several roles.</summary>
    public Dictionary<string, string> GroupRoles { get; set; } = [];

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Authority);
}
