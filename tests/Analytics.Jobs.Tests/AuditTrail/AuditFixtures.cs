using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Analytics.Jobs.AuditTrail;
using Analytics.Models.AuditTrail;
using Analytics.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Analytics.Jobs.Tests.AuditTrail;

/// <summary>Audit logs over fresh databases, a checkpoint key in a temporary file, and the attacker's moves.</summary>
internal static class AuditFixtures
{
    public static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Runs <paramref name="body"/> against a database of its own, dropped afterwards: each chain starts empty.</summary>
    public static async Task WithDatabaseAsync(Func<PostgisDatabase, Task> body)
    {
        var db = new PostgisDatabase();
        await db.InitializeAsync();
        try
        {
            await body(db);
        }
        finally
        {
            await db.DisposeAsync();
        }
    }

    /// <summary>A 32-byte random key in a temporary file, deleted with the returned handle.</summary>
    public static TemporaryKey NewKey() => new();

    public static AuditLog Log(PostgisDatabase db, TimeProvider clock, AuditOptions? options = null) =>
        new(db.DataSource, clock, Options.Create(options ?? new AuditOptions()));

    public static AuditEntry Entry(int i) => new(i % 3 == 0 ? AuditEntry.SystemActor : $"user{i % 5}", (i % 4) switch
    {
        0 => AuditKinds.SignIn,
        1 => AuditKinds.IngestLoad,
        2 => AuditKinds.ReviewApprove,
        _ => AuditKinds.Export,
    }, $"release:{i % 11}", new JsonObject { ["n"] = i, ["note"] = $"événement n°{i}", ["share"] = i / 4.0 });

    /// <summary>Appends <paramref name="count"/> events, one minute apart, each in its own transaction.</summary>
    public static async Task<List<AuditEvent>> AppendAsync(AuditLog log, PostgisDatabase db, FakeTimeProvider clock, int count, int first = 1)
    {
        var events = new List<AuditEvent>();
        await using var connection = await db.DataSource.OpenConnectionAsync();
        for (var i = first; i < first + count; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            events.Add(await log.AppendAsync(connection, null, Entry(i)));
        }
        return events;
    }

    /// <summary>What someone owning the table can do: switch the triggers off, change rows, switch them back on — committed.</summary>
    public static async Task TamperAsync(PostgisDatabase db, string sql, params object[] parameters)
    {
        await using var connection = await db.OwnerDataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, transaction, "ALTER TABLE audit.event DISABLE TRIGGER USER");
        await ExecuteAsync(connection, transaction, sql, parameters);
        await ExecuteAsync(connection, transaction, "ALTER TABLE audit.event ENABLE TRIGGER USER");
        await transaction.CommitAsync();
    }

    public static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var parameter in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await command.ExecuteNonQueryAsync();
    }

    public sealed class TemporaryKey : IDisposable
    {
        public TemporaryKey()
        {
            Bytes = RandomNumberGenerator.GetBytes(32);
            File.WriteAllBytes(Path, Bytes);
        }

        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"audit-key-{Guid.NewGuid():N}.key");

        public byte[] Bytes { get; }

        public void Dispose() => File.Delete(Path);
    }
}
