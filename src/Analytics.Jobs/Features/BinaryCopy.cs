using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Features;

/// <summary>Writes computed rows with one binary COPY: the stages write thousands of figures at once.</summary>
public static class BinaryCopy
{
    /// <param name="connection">An open connection, inside the caller's transaction.</param>
    /// <param name="target">Table and column list, e.g. <c>features.x (a, b)</c>.</param>
    /// <param name="rows">One value per column; null writes NULL.</param>
    /// <param name="types">The PostgreSQL type of each column.</param>
    /// <param name="cancellationToken">Stops the copy.</param>
    public static async Task WriteAsync(NpgsqlConnection connection, string target, IEnumerable<object?[]> rows, NpgsqlDbType[] types, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync($"COPY {target} FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            writer.StartRow();
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] is null)
                    writer.WriteNull();
                else
                    writer.Write(row[i]!, types[i]);
            }
        }
        await writer.CompleteAsync(cancellationToken);
    }
}
