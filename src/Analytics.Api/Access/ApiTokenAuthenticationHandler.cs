using System.Text.Encodings.Web;
using Analytics.Jobs.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Analytics.Api.Access;

public static class ApiTokenDefaults
{
    public const string Scheme = "ApiToken";
}

/// <summary>
/// Signs in scripts and notebooks that send <c>Authorization: Bearer oht_…</c>. The token is looked
/// up by its SHA-256; revoked, expired or disabled-account tokens fail exactly like unknown ones.
/// </summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var account = await tokens.AuthenticateTokenAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (account is null)
            return AuthenticateResult.Fail("The API token is unknown, expired or revoked.");
        return AuthenticateResult.Success(new AuthenticationTicket(AccessClaims.PrincipalFor(account, Scheme.Name), Scheme.Name));
    }
}
