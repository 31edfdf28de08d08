using System.Threading.RateLimiting;
using Analytics.Jobs.Accounts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Analytics.Api.Access;

/// <summary>
/// Who is calling, and the deny-by-default rule. Callers are known by a session cookie (the web
/// app), a personal API token (scripts), or — when configured — an OpenID Connect access token;
/// an endpoint that declares no roles is refused to everyone.
/// </summary>
/// <remarks>
/// <para>Signing in: password, then for accounts with a second factor (or roles that need one) a
/// short-lived "sign-in step" cookie that opens only the code or enrolment endpoints, then the session.</para>
/// <para>Sessions are kept on the server (<see cref="SessionStore"/>): the cookie carries a session id
/// whose row is checked on every request, with the account behind it. Signing out deletes the row,
/// and so do a new password, a role change, a second-factor reset and disabling the account: the
/// old cookie then answers 401. A session lasts <see cref="SessionStore.Lifetime"/> at most.</para>
/// <para>Cookies are protected with ASP.NET Core data-protection keys kept in the database
/// (<see cref="DatabaseXmlRepository"/>), so any API process accepts the cookies of the others.</para>
/// <para>Anti-forgery: an unsafe request (POST, PUT, PATCH, DELETE) authenticated by the session
/// cookie must carry the token of <c>GET /api/auth/antiforgery</c> in the <c>X-CSRF-TOKEN</c> header.
/// Bearer tokens are not sent by browsers on their own, so they need none.</para>
/// </remarks>
public static class AccessSetup
{
    /// <summary>Chooses per request among the schemes below; the default scheme.</summary>
    public const string SelectorScheme = "CookieOrToken";

    /// <summary>The web app's session cookie.</summary>
    public const string SessionScheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>The half-open sign-in cookie (password accepted, second factor to come).</summary>
    public const string SignInStepScheme = "SignInStep";

    /// <summary>OpenID Connect access tokens (JWT), used only when <c>Access:Oidc:Authority</c> is set.</summary>
    public const string OidcScheme = JwtBearerDefaults.AuthenticationScheme;

    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    /// <summary>The data-protection application name every API process shares (cookies are protected for it).</summary>
    public const string DataProtectionApplicationName = "onehealth-analytics";

    /// <summary>The rate-limiting policy of the sign-in endpoints (per network address).</summary>
    public const string SignInRateLimit = "sign-in";

    public static readonly TimeSpan SignInStepLifetime = TimeSpan.FromMinutes(5);

    public static WebApplicationBuilder AddAccess(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AccessOptions>()
            .Bind(builder.Configuration.GetSection(AccessOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services
            .AddAuthentication(SelectorScheme)
            .AddPolicyScheme(SelectorScheme, "Cookie or token", o => o.ForwardDefaultSelector = SelectScheme)
            .AddCookie(SessionScheme)
            .AddCookie(SignInStepScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenDefaults.Scheme, null)
            .AddJwtBearer(OidcScheme);
        services.AddOptions<CookieAuthenticationOptions>(SessionScheme).Configure<IOptions<AccessOptions>>((o, access) =>
        {
            ConfigureCookie(o, "oh.session", access.Value);
            // The server-side row decides; the cookie ends with it and is never extended past it.
            o.ExpireTimeSpan = SessionStore.Lifetime;
            o.SlidingExpiration = false;
            o.Events.OnValidatePrincipal = ValidateSessionAsync;
        });
        services.AddOptions<CookieAuthenticationOptions>(SignInStepScheme).Configure<IOptions<AccessOptions>>((o, access) =>
        {
            ConfigureCookie(o, "oh.sign-in", access.Value);
            o.ExpireTimeSpan = SignInStepLifetime;
            o.SlidingExpiration = false;
            o.Events.OnValidatePrincipal = ValidateSignInStepAsync;
        });
        services.AddOptions<JwtBearerOptions>(OidcScheme).Configure<IOptions<AccessOptions>>((o, access) => ConfigureOidc(o, access.Value.Oidc));

        services.AddAuthorization(o =>
        {
            // Deny by default: a route without a role declaration is unreachable.
            o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAssertion(_ => false).Build();
            foreach (var step in new[] { SecondFactorStep.Code, SecondFactorStep.Enrolment })
                o.AddPolicy(EndpointAccess.SignInStepPolicy(step), policy => policy
                    .AddAuthenticationSchemes(SignInStepScheme)
                    .RequireAuthenticatedUser()
                    .RequireClaim(AccessClaims.SignInStep, AccessClaims.StepName(step)));
        });

        // The keys that protect the cookies live in the database, under one application name whatever
        // the folder the API runs from: several API processes then read each other's cookies.
        services.AddDataProtection().SetApplicationName(DataProtectionApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<DataProtectionKeys>((o, keys) => o.XmlRepository = new DatabaseXmlRepository(keys));

        services.AddAntiforgery();
        services.AddOptions<AntiforgeryOptions>().Configure(o =>
        {
            o.HeaderName = AntiforgeryHeader;
            // ASP.NET Core refuses to issue an always-Secure antiforgery cookie on a plain-HTTP request
            // (the demo's http://127.0.0.1), so this cookie follows the request: Secure over HTTPS.
            // It is worth nothing without the session cookie and the header token.
            o.Cookie.Name = "oh.antiforgery";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.Cookie.Path = "/";
        });

        services.AddSingleton<SignInThrottle>();
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(SignInRateLimit, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptions<AccessOptions>>().Value.SignInAttemptsPerMinutePerAddress;
                return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
            o.OnRejected = (context, _) => SignInThrottle.WriteTooManyAttemptsAsync(context.HttpContext);
        });
        return builder;
    }

    /// <summary>Rate limits, authentication, the anti-forgery check, then authorisation — in that order.</summary>
    public static WebApplication UseAccess(this WebApplication app)
    {
        app.UseRateLimiter();
        app.UseAuthentication();
        app.Use(RequireAntiforgeryOnSessionWritesAsync);
        app.UseAuthorization();
        return app;
    }

    private static string SelectScheme(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return SessionScheme;
        if (header["Bearer ".Length..].TrimStart().StartsWith(ApiTokenSecret.Prefix, StringComparison.Ordinal))
            return ApiTokenDefaults.Scheme;
        // Any other bearer token is the provider's when one is configured; otherwise the API token
        // handler refuses it like an unknown token.
        return context.RequestServices.GetRequiredService<IOptions<AccessOptions>>().Value.Oidc.IsEnabled
            ? OidcScheme
            : ApiTokenDefaults.Scheme;
    }

    private static string CookieName(string name, AccessOptions access) =>
        access.CookieSecure == CookieSecurePolicy.Always ? "__Host-" + name : name;

    private static void ConfigureCookie(CookieAuthenticationOptions o, string name, AccessOptions access)
    {
        o.Cookie.Name = CookieName(name, access);
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.Cookie.SecurePolicy = access.CookieSecure;
        o.Cookie.Path = "/"; // with no Domain: what the __Host- prefix requires
        // An API answers 401/403; it never redirects to a sign-in page.
        o.Events.OnRedirectToLogin = context => { context.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
        o.Events.OnRedirectToAccessDenied = context => { context.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
    }

    private static void ConfigureOidc(JwtBearerOptions o, OidcOptions oidc)
    {
        if (!oidc.IsEnabled)
            return;
        o.Authority = oidc.Authority;
        o.Audience = oidc.Audience;
        // Keep the provider's claim names (sub, groups, preferred_username): the mapping below reads them.
        o.MapInboundClaims = false;
        o.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                context.Principal = AccessClaims.ExternalPrincipalFor(context.Principal!, oidc, context.Scheme.Name);
                return Task.CompletedTask;
            },
        };
    }

    /// <summary>
    /// Checks a session cookie against its row on every request: no row (signed out, ended by an
    /// account change), an expired one, a disabled account, or a row of another account ends it;
    /// otherwise the roles are refreshed from the account.
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var sessionId = principal?.FindFirst(AccessClaims.Session)?.Value;
        var session = sessionId is null || !principal!.HasLocalAccount()
            ? null
            : await context.HttpContext.RequestServices.GetRequiredService<SessionStore>().FindAsync(sessionId, context.HttpContext.RequestAborted);
        if (session is null || session.Account.Id != principal!.AccountId())
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(SessionScheme);
            return;
        }
        context.ReplacePrincipal(AccessClaims.PrincipalFor(session.Account, SessionScheme, sessionId, session.SecondFactorPassed));
    }

    private static async Task ValidateSignInStepAsync(CookieValidatePrincipalContext context)
    {
        if (await CurrentAccountAsync(context) is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(SignInStepScheme);
        }
    }

    /// <summary>The cookie's account if it still exists, is enabled and has the stamp the cookie was issued with.</summary>
    private static async Task<Account?> CurrentAccountAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        if (principal is null || !principal.HasLocalAccount())
            return null;
        var accounts = context.HttpContext.RequestServices.GetRequiredService<AccountStore>();
        var account = await accounts.FindByIdAsync(principal.AccountId(), context.HttpContext.RequestAborted);
        var stamp = principal.FindFirst(AccessClaims.SecurityStamp)?.Value;
        return account is { IsDisabled: false } && account.SecurityStamp.ToString() == stamp ? account : null;
    }

    private static async Task RequireAntiforgeryOnSessionWritesAsync(HttpContext context, RequestDelegate next)
    {
        var unsafeMethod = !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                             || HttpMethods.IsOptions(context.Request.Method) || HttpMethods.IsTrace(context.Request.Method));
        if (unsafeMethod && context.User.Identity is { IsAuthenticated: true, AuthenticationType: SessionScheme })
        {
            // Without the header the antiforgery service would look for a form field, reading (and
            // buffering) the whole body — an upload, perhaps. The header is the only place looked at.
            var valid = context.Request.Headers.ContainsKey(AntiforgeryHeader)
                        && await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context);
            if (!valid)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Title = "Jeton anti-falsification absent ou invalide : rechargez la page. / Missing or invalid anti-forgery token: reload the page.",
                        Detail = $"Send the token of GET /api/auth/antiforgery in the {AntiforgeryHeader} header.",
                    },
                });
                return;
            }
        }
        await next(context);
    }
}
