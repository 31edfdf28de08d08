using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Analytics.Api.Access;

/// <summary>
/// Sign-in attempts per user name, a fixed window per minute. The per-address limit is the
/// rate-limiting middleware's (<see cref="AccessSetup.SignInRateLimit"/>); this one needs the name,
/// which only the endpoint knows once it has read the body. Both answer 429 with the same problem.
/// </summary>
/// <remarks>Unlike lockout, this also slows down guessing against names that do not exist, and answers the same for all names.</remarks>
public sealed class SignInThrottle(IOptions<AccessOptions> options) : IDisposable
{
    private const string Title = "Trop de tentatives de connexion : réessayez dans une minute. / Too many sign-in attempts: try again in a minute.";

    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(userName =>
        RateLimitPartition.GetFixedWindowLimiter(userName, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.SignInAttemptsPerMinutePerUserName,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>Takes one attempt for <paramref name="userName"/>; false when its minute's attempts are used up.</summary>
    public bool TryAcquire(string userName)
    {
        using var lease = limiter.AttemptAcquire(userName.Trim().ToLowerInvariant());
        return lease.IsAcquired;
    }

    /// <summary>The 429 answer, with the seconds to wait in <c>Retry-After</c>.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooManyAttempts(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "60";
        return TypedResults.Problem(title: Title, statusCode: StatusCodes.Status429TooManyRequests);
    }

    /// <summary>The same answer from the rate-limiting middleware.</summary>
    public static async ValueTask WriteTooManyAttemptsAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = "60";
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = Title },
        });
    }

    public void Dispose() => limiter.Dispose();
}
