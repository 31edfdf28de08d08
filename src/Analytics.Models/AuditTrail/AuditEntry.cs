using System.Text.Json;
using System.Text.Json.Nodes;

namespace Analytics.Models.AuditTrail;

/// <summary>
/// An event to be written to the audit log: who did it, what kind of thing happened, to what, and
/// the details an auditor needs (as a JSON object). Validated here, so what reaches the log can
/// be chained and can never hold a secret.
/// </summary>
public sealed class AuditEntry
{
    /// <summary>The actor of what the system does on its own (scheduled jobs, purges).</summary>
    public const string SystemActor = "system";

    public const int MaxActorLength = 200;

    public const int MaxSubjectLength = 500;

    /// <param name="actor">User name of who acted, or <see cref="SystemActor"/>.</param>
    /// <param name="kind">One of <see cref="AuditKinds"/> (any well-formed <c>area.action</c>).</param>
    /// <param name="subject">What it was done to, as <c>type:id</c> (<c>release:12</c>, <c>account:jdupont</c>); empty when nothing.</param>
    /// <param name="details">What an auditor needs to know; its numbers must be exact doubles (send larger identifiers as strings).</param>
    /// <exception cref="ArgumentException">A field is empty, too long or malformed, or something holds a secret.</exception>
    public AuditEntry(string actor, string kind, string subject, JsonObject? details = null)
    {
        Actor = CheckText(actor, nameof(actor), MaxActorLength, required: true);
        if (!AuditKinds.IsWellFormed(kind))
            throw new ArgumentException($"'{kind}' is not an audit event kind: lower-case words joined by dots, such as 'review.approve'.", nameof(kind));
        Kind = kind;
        Subject = CheckText(subject, nameof(subject), MaxSubjectLength, required: false);
        Details = JsonSerializer.SerializeToElement(details ?? new JsonObject());
        if (AuditSecrets.Find(Details) is { } secret)
            throw new ArgumentException($"The details hold a secret at {secret}: passwords, tokens and one-time-password secrets never go into the audit log.", nameof(details));
        // Fails on numbers beyond a double and on lone surrogates, with the reason.
        CanonicalJson.Serialize(Details);
        if (!CanonicalJson.NumbersAreExact(Details))
            throw new ArgumentException("The details hold a number that a double does not carry exactly as written (more than 17 significant digits, or a large integer such as 2^53 + 1): write it as a string.", nameof(details));
        if (HoldsNul(Details))
            throw new ArgumentException("The details hold a NUL character, which PostgreSQL cannot store.", nameof(details));
    }

    public string Actor { get; }

    public string Kind { get; }

    public string Subject { get; }

    /// <summary>Always a JSON object; a snapshot taken at construction.</summary>
    public JsonElement Details { get; }

    private static bool HoldsNul(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => value.EnumerateObject().Any(m => m.Name.Contains('\0') || HoldsNul(m.Value)),
        JsonValueKind.Array => value.EnumerateArray().Any(HoldsNul),
        JsonValueKind.String => value.GetString()!.Contains('\0'),
        _ => false,
    };

    private static string CheckText(string value, string field, int maxLength, bool required)
    {
        ArgumentNullException.ThrowIfNull(value, field);
        if (required && string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"The {field} of an audit event cannot be empty.", field);
        if (value.Length > maxLength)
            throw new ArgumentException($"The {field} of an audit event has at most {maxLength} characters.", field);
        if (value.Contains('\0'))
            throw new ArgumentException($"The {field} of an audit event holds a NUL character, which PostgreSQL cannot store.", field);
        if (AuditSecrets.HoldsSecret(value))
            throw new ArgumentException($"The {field} of an audit event holds an API token or an otpauth URI: secrets never go into the audit log.", field);
        // Throws on a lone surrogate, which could not be hashed.
        CanonicalJson.AppendString(new System.Text.StringBuilder(), value);
        return value;
    }
}
