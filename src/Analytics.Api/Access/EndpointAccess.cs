using Microsoft.AspNetCore.Authorization;

namespace Analytics.Api.Access;

/// <summary>
/// The one way an endpoint says who may call it. Endpoints that say nothing are refused to
/// everyone (see <see cref="AccessSetup"/>) and fail the endpoint-roles convention test.
/// </summary>
public static class EndpointAccess
{
    public static TBuilder AllowRoles<TBuilder>(this TBuilder builder, params string[] roles) where TBuilder : IEndpointConventionBuilder
    {
        if (roles.Length == 0)
            throw new ArgumentException("Name at least one role; use AllowAnonymous() for public endpoints.", nameof(roles));
        return builder.RequireAuthorization(new AuthorizeAttribute { Roles = string.Join(",", roles) });
    }
}
