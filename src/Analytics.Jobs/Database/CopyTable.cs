using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Database;

/// <summary>One column of a <see cref="CopyTable{TRow}"/>: its name, its PostgreSQL type, and how to read it from a row (null writes NULL).</summary>
public sealed record CopyColumn<TRow>(string Name, NpgsqlDbType Type, Func<TRow, object?> Value);

/// <summary>
/// A table the stages fill with one binary COPY (they write thousands of figures at once): a
/// record per row, and the columns declared once — name, type and value side by side, so a column
/// cannot drift from its type or its place.
/// </summary>
public sealed class CopyTable<TRow>(string table, params CopyColumn<TRow>[] columns)
{
    private readonly string _copy = $"COPY {table} ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)";

    /// <param name="connection">An open connection, inside the caller's transaction.</param>
    /// <param name="rows">The rows to write.</param>
    /// <param name="cancellationToken">Stops the copy.</param>
    public async Task WriteAsync(NpgsqlConnection connection, IEnumerable<TRow> rows, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync(_copy, cancellationToken);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            foreach (var column in columns)
            {
                if (column.Value(row) is { } value)
                    await writer.WriteAsync(value, column.Type, cancellationToken);
                else
                    await writer.WriteNullAsync(cancellationToken);
            }
        }
        await writer.CompleteAsync(cancellationToken);
    }
}
