using Analytics.Testing;

namespace Analytics.Jobs.Tests.Ingest;

/// <summary>
/// A fingerprint of every data table (geo.*, facts.*, catalog.*): row count and an MD5 of the rows'
/// text in a fixed order. Equal fingerprints before and after a load mean it changed no data.
/// The ingest.* tables are left out: a refused load legitimately records its failed batch there.
/// </summary>
public static class DataChecksums
{
    public static async Task<IReadOnlyDictionary<string, string>> TakeAsync(PostgisDatabase db)
    {
        var tables = new List<string>();
        await using (var command = db.DataSource.CreateCommand("""
            SELECT table_schema || '.' || table_name FROM information_schema.tables
            WHERE table_schema IN ('geo', 'facts', 'catalog') AND table_type = 'BASE TABLE' ORDER BY 1
            """))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        var sums = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables)
            sums[table] = await db.ScalarAsync<string>($"SELECT count(*) || ' rows, md5 ' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') FROM {table} t");
        return sums;
    }
}
