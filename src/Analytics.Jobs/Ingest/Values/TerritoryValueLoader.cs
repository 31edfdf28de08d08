using Analytics.Jobs.Ingest.Health;
using Analytics.Jobs.Ingest.Text;
using NpgsqlTypes;

namespace Analytics.Jobs.Ingest.Values;

/// <summary>
/// Values by territory code (CSV), as INSEE, DREES or ARS tables come: socio-economic, animal and
/// vector health, or per-territory environment values. Wide files (one column per indicator) and
/// long files (indicator and value columns) are both read. Numbers go to
/// <c>facts.territory_value</c>, categories (indicators whose unit is "class") to
/// <c>facts.territory_label</c>.
/// </summary>
internal sealed class TerritoryValueLoader : ILoader
{
    public async Task LoadAsync(LoadContext context, CancellationToken cancellationToken)
    {
        var fileName = context.Request.FileName;
        var indicators = await CatalogIndicators.LoadAsync(context, cancellationToken);
        using var file = CsvFile.Open(context.Request.FilePath, fileName, context.Limits.MaxDecompressedBytes);
        var columns = new Columns(fileName, file.Header);
        var code = columns.Require("territory_code", "code", "codgeo", "code_geo", "commune_code", "code_commune", "code_insee", "insee_com", "depcom", "com");
        var levelColumn = columns.Find("level", "niveau");
        var period = columns.Find("period", "periode", "year", "annee", "an");
        if (period < 0 && context.Options.Period is null)
            throw new IngestException(fileName, 1, "period", "the file has no period or year column: give the period of its values with --period (e.g. 2022)");
        var indicatorColumn = columns.Find("indicator", "indicateur", "indicator_code", "variable");
        var valueColumn = columns.Find("value", "valeur");
        var isLong = indicatorColumn >= 0 && valueColumn >= 0;
        var skip = new HashSet<int> { code, levelColumn, period, indicatorColumn, valueColumn };
        var valueColumns = new List<(int Index, string Indicator)>();
        if (!isLong)
            valueColumns = indicators.ValueColumns(context, columns, skip, "columns not loaded (no catalogue indicator)");
        var territories = await TerritoryIndexes.LoadAsync(context, cancellationToken);
        var lastYear = context.Clock.GetUtcNow().Year;
        var seen = new HashSet<(long, string, string)>();

        await using var numbers = await context.Connection.BeginBinaryImportAsync(
            "COPY facts.territory_value (batch_id, territory_id, indicator_code, period, value) FROM STDIN (FORMAT BINARY)", cancellationToken);
        var labels = new List<(long Territory, string Indicator, string Period, string Label)>();
        while (file.TryRead(out var record))
        {
            if (!context.Admit(file, columns, record))
                continue;
            var f = record.Fields;
            if (!territories.TryResolve(context, record, columns, levelColumn, context.Options.Level, code, out var territoryId))
                continue;
            var periodText = period >= 0 ? f[period] : context.Options.Period!;
            var periodValue = HealthVocabulary.ParsePeriod(periodText, 1900, lastYear, out var outOfRange);
            if (periodValue is null)
            {
                context.Reject(record.Line, period >= 0 ? columns.Header[period] : "period",
                    outOfRange ? $"period out of range: '{Columns.Truncate(periodText)}' is after {lastYear} or before 1900" : $"'{Columns.Truncate(periodText)}' is not a period (a year such as 2022 or a month such as 2022-06)");
                continue;
            }
            var cells = isLong
                ? [(valueColumn, indicators.ForColumn(f[indicatorColumn], context.Options.Columns, fileName) ?? "")]
                : valueColumns;
            // Check every cell of the record before writing any: a record loads whole or not at all.
            var pending = new List<(string Indicator, double? Number, string? Label)>();
            string? problem = null;
            int problemColumn = code;
            foreach (var (column, indicator) in cells)
            {
                if (indicator.Length == 0)
                {
                    (problem, problemColumn) = ($"unknown indicator code '{Columns.Truncate(f[indicatorColumn])}': it is not in the catalogue", indicatorColumn);
                    break;
                }
                var text = f[column].Trim();
                if (text.Length == 0)
                    continue; // missing, not zero: no row
                if (indicators.IsCategory(indicator))
                    pending.Add((indicator, null, text));
                else if (Numbers.TryParseDecimal(text, out var number))
                    pending.Add((indicator, number, null));
                else
                {
                    (problem, problemColumn) = ($"text in a numeric field: '{Columns.Truncate(text)}' is not a number", column);
                    break;
                }
            }
            if (problem is null && pending.FirstOrDefault(p => !seen.Add((territoryId, p.Indicator, periodValue))) is { Indicator: not null } repeated)
                problem = $"duplicate key: territory '{f[code].Trim()}', indicator {repeated.Indicator}, period {periodValue} already has a value";
            if (problem is not null)
            {
                context.Reject(record.Line, columns.Header[problemColumn], problem);
                continue;
            }
            foreach (var (indicator, number, label) in pending)
            {
                if (label is not null)
                {
                    labels.Add((territoryId, indicator, periodValue, label));
                    continue;
                }
                await numbers.StartRowAsync(cancellationToken);
                await numbers.WriteAsync(context.BatchId, NpgsqlDbType.Bigint, cancellationToken);
                await numbers.WriteAsync(territoryId, NpgsqlDbType.Bigint, cancellationToken);
                await numbers.WriteAsync(indicator, NpgsqlDbType.Text, cancellationToken);
                await numbers.WriteAsync(periodValue, NpgsqlDbType.Text, cancellationToken);
                await numbers.WriteAsync(number!.Value, NpgsqlDbType.Double, cancellationToken);
            }
            context.RowsLoaded++;
        }
        await numbers.CompleteAsync(cancellationToken);
        await numbers.DisposeAsync(); // the connection takes one COPY at a time

        await using var categories = await context.Connection.BeginBinaryImportAsync(
            "COPY facts.territory_label (batch_id, territory_id, attribute, period, label) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var (territory, indicator, periodValue, label) in labels)
        {
            await categories.StartRowAsync(cancellationToken);
            await categories.WriteAsync(context.BatchId, NpgsqlDbType.Bigint, cancellationToken);
            await categories.WriteAsync(territory, NpgsqlDbType.Bigint, cancellationToken);
            await categories.WriteAsync(indicator, NpgsqlDbType.Text, cancellationToken);
            await categories.WriteAsync(periodValue, NpgsqlDbType.Text, cancellationToken);
            await categories.WriteAsync(label, NpgsqlDbType.Text, cancellationToken);
        }
        await categories.CompleteAsync(cancellationToken);
    }
}
