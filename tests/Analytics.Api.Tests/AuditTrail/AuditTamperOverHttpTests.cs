using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Analytics.Jobs.AuditTrail;
using Analytics.Models.AuditTrail;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Analytics.Api.Tests.AuditTrail;

/// <summary>An API whose audit log keeps signed checkpoints in a folder, as production should.</summary>
public sealed class CheckpointedApiFactory : ApiFactory, IAsyncLifetime
{
    public string KeyFile { get; } = Path.Combine(Path.GetTempPath(), $"audit-key-{Guid.NewGuid():N}.key");

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"audit-checkpoints-{Guid.NewGuid():N}");

    public CheckpointedApiFactory() => File.WriteAllBytes(KeyFile, RandomNumberGenerator.GetBytes(32));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Audit:CheckpointKeyFile", KeyFile);
        builder.UseSetting("Audit:CheckpointFolder", Folder);
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(KeyFile);
        if (Directory.Exists(Folder))
            Directory.Delete(Folder, recursive: true);
    }
}

/// <summary>
/// Tampering done in the database as its owner would (triggers disabled, rows changed) and found
/// by the verify endpoint, which names the broken sequence number. Each class has its own database,
/// since a tampered log stays tampered.
/// </summary>
public class AuditTamperOverHttpTests(CheckpointedApiFactory api) : IClassFixture<CheckpointedApiFactory>
{
    private async Task<List<AuditEvent>> AppendAsync(int count)
    {
        var log = api.Services.GetRequiredService<AuditLog>();
        await using var connection = await api.Database.DataSource.OpenConnectionAsync();
        var events = new List<AuditEvent>();
        for (var i = 1; i <= count; i++)
            events.Add(await log.AppendAsync(connection, null, new AuditEntry($"user{i % 3}", AuditKinds.Export, $"release:{i}")));
        return events;
    }

    private async Task TamperAsync(string sql)
    {
        // As the tables' owner: the application's role may not disable the triggers.
        await using var connection = await api.Database.OwnerDataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var statement in new[] { "ALTER TABLE audit.event DISABLE TRIGGER USER", sql, "ALTER TABLE audit.event ENABLE TRIGGER USER" })
        {
            await using var command = new NpgsqlCommand(statement, connection, transaction);
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    [Fact]
    public async Task the_verify_endpoint_holds_the_log_to_its_checkpoint_then_names_the_edited_event_then_the_truncation()
    {
        var events = await AppendAsync(20);
        var log = api.Services.GetRequiredService<AuditLog>();
        new AuditCheckpointFolder(api.Folder).Write(await log.CheckpointAsync());
        var auditor = await api.ClientWithRolesAsync("auditor");

        var clean = await auditor.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(clean.GetProperty("intact").GetBoolean());
        Assert.Equal("Matched", clean.GetProperty("checkpoint").GetProperty("outcome").GetString());
        Assert.Equal(20, clean.GetProperty("checkpoint").GetProperty("sequence").GetInt64());
        Assert.StartsWith("audit-checkpoint-000000000020-", clean.GetProperty("checkpoint").GetProperty("file").GetString());

        await TamperAsync("UPDATE audit.event SET actor = 'someone else' WHERE seq = 13");
        var edited = await auditor.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.False(edited.GetProperty("intact").GetBoolean());
        var link = edited.GetProperty("firstBrokenLink");
        Assert.Equal(13, link.GetProperty("sequence").GetInt64());
        Assert.Equal("HashMismatch", link.GetProperty("reason").GetString());
        Assert.StartsWith("Chaîne rompue à l'événement 13 : contenu modifié", link.GetProperty("message").GetString());
        Assert.Equal(12, edited.GetProperty("eventsChecked").GetInt64());

        await TamperAsync($"UPDATE audit.event SET actor = '{events[12].Actor}' WHERE seq = 13");
        await TamperAsync("DELETE FROM audit.event WHERE seq > 17");
        var truncated = await auditor.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.False(truncated.GetProperty("intact").GetBoolean());
        Assert.Equal(18, truncated.GetProperty("firstBrokenLink").GetProperty("sequence").GetInt64());
        Assert.Equal("Truncated", truncated.GetProperty("firstBrokenLink").GetProperty("reason").GetString());
        Assert.Equal("Contradicted", truncated.GetProperty("checkpoint").GetProperty("outcome").GetString());
    }
}
