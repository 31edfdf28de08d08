using Analytics.Jobs.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace Analytics.Api.Access;

/// <summary>
/// How an endpoint says who may call it: <see cref="AllowRoles"/>, the one way to open a route to
/// signed-in people, and <see cref="AllowSignInStep"/> for the second-factor steps of signing in.
/// Endpoints that say nothing are refused to everyone (see <see cref="AccessSetup"/>) and fail
/// the endpoint-roles convention test.
/// </summary>
public static class EndpointAccess
{
    public static TBuilder AllowRoles<TBuilder>(this TBuilder builder, params string[] roles) where TBuilder : IEndpointConventionBuilder
    {
        if (roles.Length == 0)
            throw new ArgumentException("Name at least one role; use AllowAnonymous() for public endpoints.", nameof(roles));
        return builder.RequireAuthorization(new AuthorizeAttribute { Roles = string.Join(",", roles) });
    }

    /// <summary>
    /// Opens a route only to someone whose password was just accepted and who must now take
    /// <paramref name="step"/> (type a code, or enrol a second factor). Such a caller holds no role
    /// and reaches nothing else.
    /// </summary>
    public static TBuilder AllowSignInStep<TBuilder>(this TBuilder builder, SecondFactorStep step) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(SignInStepPolicy(step));

    /// <summary>How the names of the policies behind <see cref="AllowSignInStep"/> start.</summary>
    public const string SignInStepPolicyPrefix = "sign-in-step:";

    /// <summary>The name of the policy behind <see cref="AllowSignInStep"/>.</summary>
    public static string SignInStepPolicy(SecondFactorStep step) => SignInStepPolicyPrefix + AccessClaims.StepName(step);
}
