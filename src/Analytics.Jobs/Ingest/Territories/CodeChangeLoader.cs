using Analytics.Jobs.Ingest.Text;
using NpgsqlTypes;

namespace Analytics.Jobs.Ingest.Territories;

/// <summary>
/// Code changes of a COG vintage (CSV: old code, new code, vintage, optional level): the communes
/// merged, split or renumbered that year. Records keyed by an old code are then attached to the
/// territory that replaced it.
/// </summary>
internal sealed class CodeChangeLoader : ILoader
{
    public async Task LoadAsync(LoadContext context, CancellationToken cancellationToken)
    {
        using var file = CsvFile.Open(context.Request.FilePath, context.Request.FileName, context.Limits.MaxDecompressedBytes);
        var columns = new Columns(context.Request.FileName, file.Header);
        var oldCode = columns.Require("old_code", "code_avant", "com_av", "ancien_code", "code_ancien");
        var newCode = columns.Require("new_code", "code_apres", "com_ap", "nouveau_code", "code_nouveau");
        var vintage = context.Options.Vintage is null ? columns.Require("vintage", "annee", "year", "millesime") : -1;
        var level = columns.Find("level", "niveau");
        var keys = new HashSet<(string, string, int)>();
        await using var writer = await context.Connection.BeginBinaryImportAsync(
            "COPY geo.code_change (level, old_code, new_code, vintage, batch_id) FROM STDIN (FORMAT BINARY)", cancellationToken);
        while (file.TryRead(out var record))
        {
            if (!context.Admit(file, columns, record))
                continue;
            var f = record.Fields;
            var levelText = level >= 0 ? f[level] : context.Options.Level ?? Levels.Commune;
            var levelName = Levels.Parse(levelText);
            if (levelName is null)
            {
                context.Reject(record.Line, level >= 0 ? columns.Header[level] : "level", $"unknown territory level '{Columns.Truncate(levelText)}'");
                continue;
            }
            var year = context.Options.Vintage ?? 0;
            if (vintage >= 0)
            {
                if (!Numbers.TryParseWhole(f[vintage], out var parsed) || parsed is < 1943 or > 2200)
                {
                    context.Reject(record.Line, columns.Header[vintage], $"'{Columns.Truncate(f[vintage])}' is not a vintage year");
                    continue;
                }
                year = (int)parsed;
            }
            var from = f[oldCode].Trim();
            var to = f[newCode].Trim();
            if (from.Length == 0 || to.Length == 0 || from == to)
            {
                context.Reject(record.Line, columns.Header[from.Length == 0 ? oldCode : newCode], "a code change needs two different, non-empty codes");
                continue;
            }
            if (!keys.Add((levelName, from, year)))
            {
                context.Reject(record.Line, columns.Header[oldCode], $"duplicate key: code '{from}' already changes in {year}");
                continue;
            }
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(levelName, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(from, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(to, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(year, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(context.BatchId, NpgsqlDbType.Bigint, cancellationToken);
            context.RowsLoaded++;
        }
        await writer.CompleteAsync(cancellationToken);
    }
}
