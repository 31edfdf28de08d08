using Analytics.Jobs.Accounts;
using Analytics.Models.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Api.Access;

/// <summary>Signing in and out, who am I, and my personal API tokens.</summary>
public static class AccessApi
{
    public sealed record SignInRequest(string? UserName, string? Password);
    public sealed record Me(string UserName, string DisplayName, IReadOnlyList<string> Roles);
    public sealed record NewTokenRequest(string? Name, int LifetimeDays = 90);
    public sealed record NewToken(ApiTokenInfo Token, string Secret);

    public static IEndpointRouteBuilder MapAccessApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Access");
        auth.MapPost("/sign-in", SignInAsync).WithName("SignIn")
            .WithSummary("Open a cookie session for the web app (connexion).").AllowAnonymous();
        auth.MapPost("/sign-out", (Func<HttpContext, Task<NoContent>>)SignOutAsync).WithName("SignOut")
            .WithSummary("Close the cookie session (déconnexion).").AllowRoles([.. Role.All]);

        var me = app.MapGroup("/api/me").WithTags("Access").AllowRoles([.. Role.All]);
        me.MapGet("/", GetMeAsync).WithName("GetMe").WithSummary("The signed-in account and its roles.");
        me.MapGet("/tokens", ListTokensAsync).WithName("ListMyTokens").WithSummary("My personal API tokens (never their secrets).");
        me.MapPost("/tokens", IssueTokenAsync).WithName("IssueMyToken").WithSummary("Issue a personal API token; the secret is in this response only.");
        me.MapDelete("/tokens/{id:long}", RevokeTokenAsync).WithName("RevokeMyToken").WithSummary("Revoke one of my tokens at once.");
        return app;
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SignInAsync(SignInRequest request, AccountStore accounts, HttpContext context)
    {
        var missing = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.UserName))
            missing["userName"] = ["Saisissez votre identifiant. / Enter your user name."];
        if (string.IsNullOrEmpty(request.Password))
            missing["password"] = ["Saisissez votre mot de passe. / Enter your password."];
        if (missing.Count > 0)
            return TypedResults.ValidationProblem(missing);
        var account = await accounts.VerifyPasswordAsync(request.UserName!, request.Password!, context.RequestAborted);
        if (account is null)
            // One answer for unknown name, wrong password and disabled account: nothing to enumerate.
            return TypedResults.Problem(title: "Identifiant ou mot de passe incorrect. / Wrong user name or password.", statusCode: StatusCodes.Status401Unauthorized);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            AccessClaims.PrincipalFor(account, CookieAuthenticationDefaults.AuthenticationScheme));
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> SignOutAsync(HttpContext context)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<Me>, UnauthorizedHttpResult>> GetMeAsync(HttpContext context, AccountStore accounts)
    {
        var account = await accounts.FindAsync(context.User.Identity!.Name!, context.RequestAborted);
        return account is null ? TypedResults.Unauthorized() : TypedResults.Ok(new Me(account.UserName, account.DisplayName, account.Roles));
    }

    private static async Task<Ok<IReadOnlyList<ApiTokenInfo>>> ListTokensAsync(HttpContext context, AccountStore accounts) =>
        TypedResults.Ok(await accounts.ListTokensAsync(context.User.AccountId(), context.RequestAborted));

    private static async Task<Created<NewToken>> IssueTokenAsync(NewTokenRequest request, HttpContext context, AccountStore accounts)
    {
        var issued = await accounts.IssueTokenAsync(context.User.AccountId(), request.Name ?? "", TimeSpan.FromDays(request.LifetimeDays), context.RequestAborted);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/me/tokens/{issued.Info.Id}", new NewToken(issued.Info, issued.Secret));
    }

    private static async Task<Results<NoContent, NotFound>> RevokeTokenAsync(long id, HttpContext context, AccountStore accounts) =>
        await accounts.RevokeTokenAsync(context.User.AccountId(), id, context.RequestAborted) ? TypedResults.NoContent() : TypedResults.NotFound();
}
