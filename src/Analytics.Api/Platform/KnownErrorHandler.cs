using Analytics.Jobs.Accounts;
using Analytics.Jobs.Database;
using Microsoft.AspNetCore.Diagnostics;

namespace Analytics.Api.Platform;

/// <summary>
/// Turns the errors the code raises on purpose into problem responses that name the field and the
/// reason. Anything else stays a 500 whose detail is logged, never sent.
/// </summary>
internal sealed class KnownErrorHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        (int status, string title, IDictionary<string, string[]>? errors) = exception switch
        {
            AccountException e => (StatusCodes.Status400BadRequest, e.Message, new Dictionary<string, string[]> { [e.Field] = [e.Message] }),
            DatabaseNotReadyException => (StatusCodes.Status503ServiceUnavailable, "The database is not available.", null),
            BadHttpRequestException e => (e.StatusCode, e.Message, null),
            _ => (0, "", null),
        };
        if (status == 0)
            return false;
        context.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title };
        if (errors is not null)
            problem.Extensions["errors"] = errors;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }
}
