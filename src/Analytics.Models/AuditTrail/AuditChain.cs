using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Analytics.Models.AuditTrail;

/// <summary>
/// How events are chained. Each event's hash is
/// <c>SHA-256(previous hash ‖ UTF-8 canonical JSON of the event)</c>, where the canonical JSON
/// (RFC 8785, see <see cref="CanonicalJson"/>) holds every stored field but the hash itself:
/// <code>{"actor":…,"details":{…},"kind":…,"occurred_at":"2026-03-02T09:00:00.000000Z","prev_hash":"64 hex digits","seq":…,"subject":…}</code>
/// Editing any field changes the event's hash; deleting, inserting or moving an event breaks the
/// link of the next one; the first event links to <see cref="AuditHash.Genesis"/>.
/// </summary>
public static class AuditChain
{
    /// <summary>
    /// <paramref name="time"/> in UTC, cut to whole microseconds: the precision PostgreSQL keeps,
    /// so the time hashed is the time read back.
    /// </summary>
    public static DateTimeOffset Precise(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMicrosecond, TimeSpan.Zero);
    }

    /// <summary>The text that is hashed (after the previous hash) for an event with these fields.</summary>
    public static string CanonicalForm(long sequence, DateTimeOffset occurredAt, string actor, string kind, string subject, JsonElement details, AuditHash previousHash)
    {
        // Member names are written in their canonical (sorted) order.
        var text = new StringBuilder("{\"actor\":");
        CanonicalJson.AppendString(text, actor);
        text.Append(",\"details\":");
        CanonicalJson.Append(text, details);
        text.Append(",\"kind\":");
        CanonicalJson.AppendString(text, kind);
        text.Append(",\"occurred_at\":\"").Append(occurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        text.Append("\",\"prev_hash\":\"").Append(previousHash).Append("\",\"seq\":").Append(sequence.ToString(CultureInfo.InvariantCulture));
        text.Append(",\"subject\":");
        CanonicalJson.AppendString(text, subject);
        return text.Append('}').ToString();
    }

    /// <summary>The hash <paramref name="e"/> should carry, computed from its other fields.</summary>
    public static AuditHash ComputeHash(AuditEvent e)
    {
        var form = Encoding.UTF8.GetBytes(CanonicalForm(e.Sequence, e.OccurredAt, e.Actor, e.Kind, e.Subject, e.Details, e.PreviousHash));
        var data = new byte[AuditHash.Length + form.Length];
        e.PreviousHash.Bytes.CopyTo(data);
        form.CopyTo(data, AuditHash.Length);
        return AuditHash.Of(data);
    }

    /// <summary>The event that records <paramref name="entry"/> at <paramref name="sequence"/>, after an event whose hash is <paramref name="previousHash"/>.</summary>
    public static AuditEvent Link(AuditEntry entry, long sequence, DateTimeOffset occurredAt, AuditHash previousHash)
    {
        if (sequence < 1)
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, "sequence numbers start at 1");
        var unhashed = new AuditEvent(sequence, Precise(occurredAt), entry.Actor, entry.Kind, entry.Subject, entry.Details, previousHash, AuditHash.Genesis);
        return unhashed with { Hash = ComputeHash(unhashed) };
    }
}
