using Analytics.Jobs.Ingest.Text;

namespace Analytics.Jobs.Ingest.Catalog;

/// <summary>
/// The indicator catalogue (CSV, see data/catalog): one record per indicator. Loading a new
/// version updates the indicators it names and keeps the others.
/// </summary>
internal sealed class CatalogLoader : ILoader
{
    private static readonly HashSet<string> Domains = ["human", "animal", "environment", "socio-economic"];

    public async Task LoadAsync(LoadContext context, CancellationToken cancellationToken)
    {
        using var file = CsvFile.Open(context.Request.FilePath, context.Request.FileName, context.Limits.MaxDecompressedBytes);
        var columns = new Columns(context.Request.FileName, file.Header);
        int[] required =
        [
            columns.Require("code"), columns.Require("label_fr", "libelle"), columns.Require("label_en"), columns.Require("unit", "unite"),
            columns.Require("domain", "domaine"), columns.Require("method", "methode"), columns.Require("licence", "license"),
            columns.Require("source_stands_for", "source"),
        ];
        var cim10 = columns.Find("cim10_codes", "cim10", "icd10");
        var seen = new Dictionary<string, long>();
        while (file.TryRead(out var record))
        {
            if (!context.Admit(file, columns, record))
                continue;
            var f = record.Fields;
            var code = f[required[0]].Trim();
            if (!System.Text.RegularExpressions.Regex.IsMatch(code, "^[a-z][a-z0-9_]*$"))
            {
                context.Reject(record.Line, "code", $"'{Columns.Truncate(code)}' is not an indicator code (lower-case letters, digits and '_')");
                continue;
            }
            if (seen.TryGetValue(code, out var firstLine))
            {
                context.Reject(record.Line, "code", $"duplicate key: indicator '{code}' is already defined on line {firstLine}");
                continue;
            }
            seen[code] = record.Line;
            var domain = f[required[4]].Trim();
            if (!Domains.Contains(domain))
            {
                context.Reject(record.Line, "domain", $"'{Columns.Truncate(domain)}' is not a domain (human, animal, environment, socio-economic)");
                continue;
            }
            if (required.Any(i => f[i].Trim().Length == 0))
            {
                context.Reject(record.Line, columns.Header[required.First(i => f[i].Trim().Length == 0)], "empty: every indicator needs its labels, unit, method, licence and source");
                continue;
            }
            await using var upsert = context.Command("""
                INSERT INTO catalog.indicator (code, label_fr, label_en, unit, domain, method, licence, source, cim10_codes, batch_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                ON CONFLICT (code) DO UPDATE SET label_fr = excluded.label_fr, label_en = excluded.label_en, unit = excluded.unit,
                    domain = excluded.domain, method = excluded.method, licence = excluded.licence, source = excluded.source,
                    cim10_codes = excluded.cim10_codes, batch_id = excluded.batch_id
                """);
            foreach (var i in required)
                upsert.Parameters.Add(new() { Value = f[i].Trim() });
            upsert.Parameters.Add(new() { Value = cim10 >= 0 && f[cim10].Trim().Length > 0 ? f[cim10].Trim() : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            upsert.Parameters.Add(new() { Value = context.BatchId });
            await upsert.ExecuteNonQueryAsync(cancellationToken);
            context.RowsLoaded++;
        }
    }
}
