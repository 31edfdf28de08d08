using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Api.Platform;

/// <summary>The one way endpoints answer a refusal: an RFC 9457 problem whose title says what is wrong, French first.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult Create(int status, string title) => TypedResults.Problem(title: title, statusCode: status);

    /// <summary>The refusal of a <c>lang</c> other than fr or en.</summary>
    public static ProblemHttpResult UnknownLanguage(string lang) =>
        Create(StatusCodes.Status400BadRequest, $"lang vaut fr ou en, pas « {lang} ». / lang is fr or en, not '{lang}'.");
}
