using System.Text.Json.Nodes;
using Analytics.Jobs.Accounts;
using Analytics.Jobs.AuditTrail;
using Analytics.Models.Access;
using Analytics.Models.AuditTrail;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Api.Access;

/// <summary>Signing in (password, then second factor), signing out, who am I, and my personal API tokens.</summary>
public static class AccessApi
{
    public sealed record SignInRequest(string? UserName, string? Password);
    public sealed record CodeRequest(string? Code);

    /// <summary>What signing in needs next: <c>code</c> (a TOTP code), <c>enrolment</c> (a second factor to enrol first), or <c>signed-in</c>.</summary>
    public sealed record SignInProgress(string Step);

    public sealed record AntiforgeryToken(string HeaderName, string Token);
    public sealed record Me(string UserName, string DisplayName, IReadOnlyList<string> Roles);
    public sealed record NewTokenRequest(string? Name, int LifetimeDays = 90);
    public sealed record NewToken(ApiTokenInfo Token, string Secret);

    private const string WrongPassword = "Identifiant ou mot de passe incorrect, ou compte bloqué un moment après trop d'échecs. / Wrong user name or password, or account locked for a while after too many failures.";
    private const string NeedsSecondFactorSession =
        "Pour créer un jeton, connectez-vous au site avec votre mot de passe et un code à usage unique (second facteur) ; un jeton ne peut pas créer d'autre jeton. " +
        "Un administrateur peut aussi en délivrer un (analytics-jobs user token). / " +
        "Issuing a token needs a web session opened with a password and a one-time code (second factor); a token cannot issue tokens. " +
        "An administrator can also issue one (analytics-jobs user token).";
    private const string WrongCode = "Code incorrect, expiré ou déjà utilisé. / Wrong, expired or already used code.";

    public static IEndpointRouteBuilder MapAccessApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Access");
        auth.MapPost("/sign-in", SignInAsync).WithName("SignIn").AllowAnonymous().RequireRateLimiting(AccessSetup.SignInRateLimit)
            .WithSummary("Check a password (connexion). Opens the session, or the second-factor step the account needs next.");
        auth.MapPost("/second-factor", SubmitCodeAsync).WithName("SubmitSecondFactor")
            .AllowSignInStep(SecondFactorStep.Code).RequireRateLimiting(AccessSetup.SignInRateLimit)
            .WithSummary("Complete signing in with a TOTP code from the authenticator app (code à usage unique).");
        auth.MapPost("/enrolment", BeginEnrolmentAsync).WithName("BeginSecondFactorEnrolment")
            .AllowSignInStep(SecondFactorStep.Enrolment).RequireRateLimiting(AccessSetup.SignInRateLimit)
            .WithSummary("Draw a second-factor key for an account that must enrol one; the key and otpauth URI are in this response only.");
        auth.MapPost("/enrolment/confirm", ConfirmEnrolmentAsync).WithName("ConfirmSecondFactorEnrolment")
            .AllowSignInStep(SecondFactorStep.Enrolment).RequireRateLimiting(AccessSetup.SignInRateLimit)
            .WithSummary("Confirm the enrolment with a code from the app; opens the session.");
        auth.MapGet("/antiforgery", GetAntiforgeryToken).WithName("GetAntiforgeryToken").AllowRoles([.. Role.All])
            .WithSummary("The token a session must send in the X-CSRF-TOKEN header of every POST, PUT, PATCH and DELETE.");
        auth.MapPost("/sign-out", (Func<HttpContext, Task<NoContent>>)SignOutAsync).WithName("SignOut")
            .WithSummary("End the web session on the server and clear its cookie (déconnexion).").AllowRoles([.. Role.All]);

        var me = app.MapGroup("/api/me").WithTags("Access").AllowRoles([.. Role.All]);
        me.MapGet("/", GetMe).WithName("GetMe").WithSummary("The signed-in person and their roles.");
        me.MapGet("/tokens", ListTokensAsync).WithName("ListMyTokens").WithSummary("My personal API tokens (never their secrets).");
        me.MapPost("/tokens", IssueTokenAsync).WithName("IssueMyToken")
            .WithSummary("Issue a personal API token (from a web session opened with the second factor only; 1 to 365 days); the secret is in this response only.");
        me.MapDelete("/tokens/{id:long}", RevokeTokenAsync).WithName("RevokeMyToken").WithSummary("Revoke one of my tokens at once.");
        return app;
    }

    private static async Task<Results<Ok<SignInProgress>, ValidationProblem, ProblemHttpResult>> SignInAsync(
        SignInRequest request, AccountStore accounts, SignInThrottle throttle, AuditLog audit, HttpContext context)
    {
        var missing = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.UserName))
            missing["userName"] = ["Saisissez votre identifiant. / Enter your user name."];
        if (string.IsNullOrEmpty(request.Password))
            missing["password"] = ["Saisissez votre mot de passe. / Enter your password."];
        if (missing.Count > 0)
            return TypedResults.ValidationProblem(missing);
        if (!throttle.TryAcquire(request.UserName!))
            return SignInThrottle.TooManyAttempts(context);
        var account = await accounts.VerifyPasswordAsync(request.UserName!, request.Password!, context.RequestAborted);
        if (account is null)
        {
            // The name typed is not recorded: people type their password in the name field.
            await audit.AppendAsync(new AuditEntry("anonymous", AuditKinds.SignInRefused, "", new JsonObject { ["step"] = "password" }), context.RequestAborted);
            // One answer for unknown name, wrong password, disabled and locked account: nothing to enumerate.
            return TypedResults.Problem(title: WrongPassword, statusCode: StatusCodes.Status401Unauthorized);
        }
        if (account.SecondFactor == SecondFactorStep.None)
            return await OpenSessionAsync(context, account, secondFactorPassed: false);
        // A session already open in this browser must not outlive a new, half-done sign-in.
        if (context.User.Identity?.AuthenticationType == AccessSetup.SessionScheme)
            await EndSessionAsync(context);
        await context.SignInAsync(AccessSetup.SignInStepScheme,
            AccessClaims.PendingPrincipalFor(account, account.SecondFactor, AccessSetup.SignInStepScheme));
        return TypedResults.Ok(new SignInProgress(AccessClaims.StepName(account.SecondFactor)));
    }

    private static async Task<Results<Ok<SignInProgress>, ValidationProblem, ProblemHttpResult>> SubmitCodeAsync(
        CodeRequest request, SecondFactors secondFactors, SignInThrottle throttle, HttpContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Code))
            return MissingCode();
        if (!throttle.TryAcquire(AccessClaims.UserName(context.User)))
            return SignInThrottle.TooManyAttempts(context);
        var account = await secondFactors.VerifyTotpAsync(context.User.AccountId(), request.Code, context.RequestAborted);
        if (account is null)
            return TypedResults.Problem(title: WrongCode, statusCode: StatusCodes.Status401Unauthorized);
        return await OpenSessionAsync(context, account, secondFactorPassed: true);
    }

    private static async Task<Ok<TotpEnrolment>> BeginEnrolmentAsync(SecondFactors secondFactors, HttpContext context)
    {
        var enrolment = await secondFactors.BeginTotpEnrolmentAsync(context.User.AccountId(), context.RequestAborted);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(enrolment);
    }

    private static async Task<Results<Ok<SignInProgress>, ValidationProblem, ProblemHttpResult>> ConfirmEnrolmentAsync(
        CodeRequest request, SecondFactors secondFactors, SignInThrottle throttle, HttpContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Code))
            return MissingCode();
        if (!throttle.TryAcquire(AccessClaims.UserName(context.User)))
            return SignInThrottle.TooManyAttempts(context);
        var account = await secondFactors.ConfirmTotpEnrolmentAsync(context.User.AccountId(), request.Code, context.RequestAborted);
        if (account is null)
            return TypedResults.Problem(title: WrongCode, statusCode: StatusCodes.Status401Unauthorized);
        return await OpenSessionAsync(context, account, secondFactorPassed: true);
    }

    /// <summary>Opens a server-side session (recorded as a sign-in) and gives the browser its cookie.</summary>
    private static async Task<Ok<SignInProgress>> OpenSessionAsync(HttpContext context, Account account, bool secondFactorPassed)
    {
        var sessionId = await context.RequestServices.GetRequiredService<SessionStore>().OpenAsync(account, secondFactorPassed, context.RequestAborted);
        if (context.User.Identity?.AuthenticationType == AccessSetup.SignInStepScheme)
            await context.SignOutAsync(AccessSetup.SignInStepScheme);
        await context.SignInAsync(AccessSetup.SessionScheme, AccessClaims.PrincipalFor(account, AccessSetup.SessionScheme, sessionId, secondFactorPassed));
        return TypedResults.Ok(new SignInProgress(AccessClaims.StepName(SecondFactorStep.None)));
    }

    private static ValidationProblem MissingCode() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]>
        {
            ["code"] = ["Saisissez le code à 6 chiffres de votre application d'authentification. / Enter the 6-digit code from your authenticator app."],
        });

    private static Ok<AntiforgeryToken> GetAntiforgeryToken(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return TypedResults.Ok(new AntiforgeryToken(tokens.HeaderName!, tokens.RequestToken!));
    }

    private static async Task<NoContent> SignOutAsync(HttpContext context)
    {
        await EndSessionAsync(context);
        return TypedResults.NoContent();
    }

    /// <summary>Deletes the session's row (recorded as a sign-out), so the cookie is worth nothing even if a copy survives; then clears it.</summary>
    private static async Task EndSessionAsync(HttpContext context)
    {
        if (context.User.FindFirst(AccessClaims.Session)?.Value is { } sessionId)
            await context.RequestServices.GetRequiredService<SessionStore>().EndAsync(sessionId, context.RequestAborted);
        await context.SignOutAsync(AccessSetup.SessionScheme);
    }

    private static Ok<Me> GetMe(HttpContext context) =>
        TypedResults.Ok(new Me(
            AccessClaims.UserName(context.User),
            context.User.FindFirst(AccessClaims.DisplayName)?.Value ?? AccessClaims.UserName(context.User),
            [.. context.User.FindAll(System.Security.Claims.ClaimTypes.Role).Select(c => c.Value)]));

    private static async Task<Results<Ok<IReadOnlyList<ApiTokenInfo>>, ProblemHttpResult>> ListTokensAsync(HttpContext context, ApiTokens tokens) =>
        context.User.HasLocalAccount()
            ? TypedResults.Ok(await tokens.ListTokensAsync(context.User.AccountId(), context.RequestAborted))
            : NoLocalAccount();

    /// <summary>
    /// Only a web session opened with the second factor issues tokens: a token (perhaps leaked) or a
    /// password-only session cannot mint a long-lived credential. Name and lifetime are checked by
    /// the store before anything is written (400 naming the field).
    /// </summary>
    private static async Task<Results<Created<NewToken>, ProblemHttpResult>> IssueTokenAsync(NewTokenRequest request, HttpContext context, ApiTokens tokens)
    {
        if (!context.User.HasLocalAccount())
            return NoLocalAccount();
        if (!context.User.HasSecondFactorSession())
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: NeedsSecondFactorSession);
        var issued = await tokens.IssueTokenAsync(context.User.AccountId(), request.Name ?? "", request.LifetimeDays, AccessClaims.UserName(context.User), context.RequestAborted);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/me/tokens/{issued.Info.Id}", new NewToken(issued.Info, issued.Secret));
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> RevokeTokenAsync(long id, HttpContext context, ApiTokens tokens)
    {
        if (!context.User.HasLocalAccount())
            return NoLocalAccount();
        return await tokens.RevokeTokenAsync(context.User.AccountId(), id, AccessClaims.UserName(context.User), context.RequestAborted) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    private static ProblemHttpResult NoLocalAccount() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
            title: "Les jetons personnels sont réservés aux comptes locaux ; utilisez les jetons de votre fournisseur d'identité. / Personal API tokens are for local accounts; use your identity provider's tokens.");
}
