using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Analytics.Api.Platform;

/// <summary>
/// Refuses control characters (U+0000–U+001F, U+007F–U+009F) where no request has a use for them, with a 400
/// that names where: in the path or a query value (<see cref="UseControlCharacterRefusal"/>), and in any text of a
/// JSON body except tab, line feed and carriage return (<see cref="JsonText"/>). Without this, a NUL reached
/// PostgreSQL, which cannot store it, and the request failed with a 500. The refused value is never echoed: it may
/// carry anything.
/// </summary>
public static class ControlCharacters
{
    public static IApplicationBuilder UseControlCharacterRefusal(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (Find(context.Request) is { } problem)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = problem },
                });
                return;
            }
            await next(context);
        });

    private static string? Find(HttpRequest request)
    {
        if (FirstControl(request.Path.Value) is { } inPath)
            return $"Le chemin contient un caractère de contrôle ({inPath}) / The path holds a control character ({inPath}).";
        foreach (var (key, values) in request.Query)
        {
            if (FirstControl(key) is { } inName)
                return $"Un nom de paramètre contient un caractère de contrôle ({inName}) / A query parameter name holds a control character ({inName}).";
            foreach (var value in values)
                if (FirstControl(value) is { } inValue)
                    return $"Le paramètre « {key} » contient un caractère de contrôle ({inValue}) / Query parameter '{key}' holds a control character ({inValue}).";
        }
        return null;
    }

    /// <summary>The first control character of <paramref name="text"/> as <c>U+0000</c>, or null.</summary>
    private static string? FirstControl(string? text, bool allowLineBreaksAndTabs = false)
    {
        foreach (var c in text ?? "")
            if (char.IsControl(c) && !(allowLineBreaksAndTabs && c is '\t' or '\n' or '\r'))
                return "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
        return null;
    }

    /// <summary>
    /// Reads every JSON string of a request body, refusing control characters other than tab and line breaks
    /// (a comment may span lines). Registered for all JSON the API reads; writing is unchanged.
    /// </summary>
    public sealed class JsonText : JsonConverter<string>
    {
        public override bool HandleNull => false;

        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString();
            if (FirstControl(text, allowLineBreaksAndTabs: true) is { } found)
                throw new JsonException($"Le texte contient un caractère de contrôle ({found}) / The text holds a control character ({found}).");
            return text;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
