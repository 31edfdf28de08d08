using Analytics.Api.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Analytics.Api.Platform;

/// <summary>Writes each operation's allowed roles into its OpenAPI description, so readers of the API know who may call what.</summary>
internal sealed class RolesOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var roles = metadata.OfType<IAuthorizeData>().Select(a => a.Roles).Where(r => !string.IsNullOrEmpty(r)).ToList();
        var signInStep = metadata.OfType<IAuthorizeData>().Select(a => a.Policy)
            .FirstOrDefault(p => p?.StartsWith(EndpointAccess.SignInStepPolicyPrefix, StringComparison.Ordinal) == true);
        var text = metadata.OfType<IAllowAnonymous>().Any() ? "Roles: anyone (no sign-in needed)."
            : signInStep is not null ? $"Roles: none — only while signing in, after a correct password, at the step '{signInStep[EndpointAccess.SignInStepPolicyPrefix.Length..]}'."
            : $"Roles: {string.Join("; ", roles)}.";
        operation.Description = string.IsNullOrEmpty(operation.Description) ? text : $"{operation.Description}\n\n{text}";
    }
}
