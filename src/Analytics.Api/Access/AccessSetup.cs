using Analytics.Jobs.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace Analytics.Api.Access;

/// <summary>
/// Who is calling, and the deny-by-default rule: cookie sessions for the web app, personal API
/// tokens for scripts; an endpoint that declares no roles is refused to everyone.
/// </summary>
public static class AccessSetup
{
    private const string Selector = "CookieOrToken";

    public static WebApplicationBuilder AddAccess(this WebApplicationBuilder builder)
    {
        builder.Services
            .AddAuthentication(Selector)
            .AddPolicyScheme(Selector, "Cookie or API token", o =>
                o.ForwardDefaultSelector = context =>
                    context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                        ? ApiTokenDefaults.Scheme
                        : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.Cookie.Name = "oh.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                // An API answers 401/403; it never redirects to a sign-in page.
                o.Events.OnRedirectToLogin = context => { context.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
                o.Events.OnRedirectToAccessDenied = context => { context.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
                o.Events.OnValidatePrincipal = RefreshSessionAsync;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenDefaults.Scheme, null);

        builder.Services.AddAuthorization(o =>
        {
            // Deny by default: a route without a role declaration is unreachable.
            o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAssertion(_ => false).Build();
        });
        return builder;
    }

    /// <summary>
    /// Re-reads the account behind a session cookie on every request, so a disabled account or a
    /// change of roles takes effect at once rather than when the cookie expires.
    /// </summary>
    private static async Task RefreshSessionAsync(CookieValidatePrincipalContext context)
    {
        var accounts = context.HttpContext.RequestServices.GetRequiredService<AccountStore>();
        var name = context.Principal?.Identity?.Name;
        var account = name is null ? null : await accounts.FindAsync(name, context.HttpContext.RequestAborted);
        if (account is null || account.IsDisabled || account.Id != context.Principal!.AccountId())
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }
        context.ReplacePrincipal(AccessClaims.PrincipalFor(account, CookieAuthenticationDefaults.AuthenticationScheme));
    }
}
