using System.Text.Json;
using Analytics.Jobs.Accounts;
using Analytics.Jobs.Database;
using Microsoft.AspNetCore.Diagnostics;

namespace Analytics.Api.Platform;

/// <summary>
/// Turns the errors the code raises on purpose into problem responses that name the field and the
/// reason, and the database being out of reach into a 503 with <c>Retry-After</c> on every route.
/// Anything else stays a 500 whose detail is logged, never sent.
/// </summary>
internal sealed class KnownErrorHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        (int status, string title, IDictionary<string, string[]>? errors) = exception switch
        {
            AccountException e => (StatusCodes.Status400BadRequest, e.Message, new Dictionary<string, string[]> { [e.Field] = [e.Message] }),
            BadHttpRequestException { InnerException: JsonException json } e => (e.StatusCode, e.Message, new Dictionary<string, string[]> { [json.Path ?? "$"] = [json.Message] }),
            BadHttpRequestException e => (e.StatusCode, e.Message, null),
            _ when MalformedMultipart(exception) => (StatusCodes.Status400BadRequest,
                "La requête multipart est mal formée ou incomplète / The multipart request is malformed or incomplete.", null),
            // The exception text may name hosts and databases: the answer stays generic, the log keeps the detail.
            _ when DatabaseUnavailable.Is(exception) => (StatusCodes.Status503ServiceUnavailable,
                "La base de données est momentanément indisponible, réessayez plus tard / The database is not available, try again later.", null),
            _ => (0, "", null),
        };
        if (status == 0)
            return false;
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
            context.Response.Headers.RetryAfter = DatabaseUnavailable.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title };
        if (errors is not null)
            problem.Extensions["errors"] = errors;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>The framework's multipart reader refused the body (no closing boundary, a bad section header, a part cut short).</summary>
    private static bool MalformedMultipart(Exception exception) =>
        exception is IOException or InvalidDataException && exception.Source == "Microsoft.AspNetCore.WebUtilities";
}
