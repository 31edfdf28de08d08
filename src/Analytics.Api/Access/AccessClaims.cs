using System.Globalization;
using System.Security.Claims;
using Analytics.Jobs.Accounts;

namespace Analytics.Api.Access;

/// <summary>The claims a caller carries, whatever the way they signed in.</summary>
public static class AccessClaims
{
    /// <summary>The account's security stamp when the password was accepted; a sign-in step whose stamp no longer matches is over (sessions end with their row).</summary>
    public const string SecurityStamp = "oh:stamp";

    public const string DisplayName = "oh:display_name";

    /// <summary>On a web session: its id, whose row in <c>auth.session</c> must exist for the cookie to be worth anything.</summary>
    public const string Session = "oh:session";

    /// <summary>On a web session opened with a TOTP code: <c>true</c>. Only such sessions issue personal API tokens.</summary>
    public const string SecondFactorPassed = "oh:second_factor";

    /// <summary>On a half-open sign-in (password accepted): the step still to take, <c>code</c> or <c>enrolment</c>.</summary>
    public const string SignInStep = "oh:sign_in_step";

    /// <summary>The signed-in account's name, as the audit log and the review records write it (every route that acts requires a signed-in caller).</summary>
    public static string UserName(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.Name) ?? throw new InvalidOperationException("an authenticated caller carries a name claim");

    /// <summary>A local account signed in completely: id, names, stamp and roles; for a web session, its id and whether it passed the second factor.</summary>
    public static ClaimsPrincipal PrincipalFor(Account account, string scheme, string? sessionId = null, bool secondFactorPassed = false)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, account.Id.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, account.UserName),
            new(DisplayName, account.DisplayName),
            new(SecurityStamp, account.SecurityStamp.ToString()),
        };
        if (sessionId is not null)
            claims.Add(new(Session, sessionId));
        if (secondFactorPassed)
            claims.Add(new(SecondFactorPassed, "true"));
        claims.AddRange(account.Roles.Select(role => new Claim(ClaimTypes.Role, role)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>Whether the caller is a web session opened with the second factor — not a token, not a password-only session.</summary>
    public static bool HasSecondFactorSession(this ClaimsPrincipal user) =>
        user.Identity?.AuthenticationType == AccessSetup.SessionScheme && user.HasClaim(SecondFactorPassed, "true");

    /// <summary>A password accepted, a second-factor step to go: no role, so it opens nothing but that step.</summary>
    public static ClaimsPrincipal PendingPrincipalFor(Account account, SecondFactorStep step, string scheme) =>
        new(new ClaimsIdentity(
            [
                new(ClaimTypes.NameIdentifier, account.Id.ToString(CultureInfo.InvariantCulture)),
                new(ClaimTypes.Name, account.UserName),
                new(SecurityStamp, account.SecurityStamp.ToString()),
                new(SignInStep, StepName(step)),
            ],
            scheme, ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>
    /// A person signed in by an OpenID Connect provider: user name from <see cref="OidcOptions.NameClaim"/>
    /// (or <c>sub</c>), roles only from groups listed in <see cref="OidcOptions.GroupRoles"/>. No local account id.
    /// </summary>
    public static ClaimsPrincipal ExternalPrincipalFor(ClaimsPrincipal token, OidcOptions oidc, string scheme)
    {
        var name = token.FindFirstValue(oidc.NameClaim) ?? token.FindFirstValue("sub") ?? "";
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, name),
            new(DisplayName, token.FindFirstValue("name") ?? name),
        };
        claims.AddRange(token.FindAll(oidc.GroupClaim)
            .Select(group => oidc.GroupRoles.GetValueOrDefault(group.Value))
            .OfType<string>().Distinct()
            .Select(role => new Claim(ClaimTypes.Role, role)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>What is left to do after a step, as the API names it: <c>code</c>, <c>enrolment</c>, or <c>signed-in</c> when nothing is.</summary>
    public static string StepName(SecondFactorStep step) => step switch
    {
        SecondFactorStep.Code => "code",
        SecondFactorStep.Enrolment => "enrolment",
        _ => "signed-in",
    };

    /// <summary>The local account behind the caller; throws for callers without one (see <see cref="HasLocalAccount"/>).</summary>
    public static long AccountId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!, CultureInfo.InvariantCulture);

    /// <summary>False for people signed in by an OpenID Connect provider: they have no local account.</summary>
    public static bool HasLocalAccount(this ClaimsPrincipal user) => user.HasClaim(c => c.Type == ClaimTypes.NameIdentifier);
}
