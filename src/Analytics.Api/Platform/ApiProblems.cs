using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Api.Platform;

/// <summary>The one way endpoints answer a refusal: an RFC 9457 problem whose title says what is wrong, French first.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult Create(int status, string title) => TypedResults.Problem(title: title, statusCode: status);
}
