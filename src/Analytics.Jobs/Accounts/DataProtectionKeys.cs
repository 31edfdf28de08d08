using Npgsql;

namespace Analytics.Jobs.Accounts;

/// <summary>
/// The ASP.NET Core data-protection key ring (which protects the session cookies) as rows of
/// <c>auth.data_protection_key</c> (migration 0034), so that every API process shares it.
/// Synchronous because the framework's key repository is.
/// </summary>
public sealed class DataProtectionKeys(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>Every stored element's XML text.</summary>
    public IReadOnlyList<string> ReadAll()
    {
        using var command = dataSource.CreateCommand("SELECT xml FROM auth.data_protection_key ORDER BY stored_at, name");
        using var reader = command.ExecuteReader();
        var elements = new List<string>();
        while (reader.Read())
            elements.Add(reader.GetString(0));
        return elements;
    }

    /// <summary>Stores an element under its name; a second store under the same name replaces it, as the framework's file store would.</summary>
    public void Store(string name, string xml)
    {
        using var command = dataSource.CreateCommand("""
            INSERT INTO auth.data_protection_key (name, xml, stored_at) VALUES ($1, $2, $3)
            ON CONFLICT (name) DO UPDATE SET xml = excluded.xml, stored_at = excluded.stored_at
            """);
        command.Parameters.Add(new() { Value = name });
        command.Parameters.Add(new() { Value = xml });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        command.ExecuteNonQuery();
    }
}
