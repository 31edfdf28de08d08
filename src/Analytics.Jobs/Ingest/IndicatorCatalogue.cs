using Npgsql;

namespace Analytics.Jobs.Ingest;

/// <summary>An indicator as the catalogue describes it, with the batch (and date) its description was loaded from.</summary>
public sealed record CatalogueIndicator(string Code, string LabelFr, string LabelEn, string Unit, string Domain, string Method, string Licence, string Source,
    string? Cim10Codes, long BatchId, DateTimeOffset LoadedAt);

/// <summary>The indicator catalogue (<c>catalog.indicator</c>) as users read it.</summary>
public sealed class IndicatorCatalogue(NpgsqlDataSource dataSource)
{
    public async Task<List<CatalogueIndicator>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT i.code, i.label_fr, i.label_en, i.unit, i.domain, i.method, i.licence, i.source, i.cim10_codes, i.batch_id, b.finished_at
            FROM catalog.indicator i JOIN ingest.batch b ON b.id = i.batch_id ORDER BY i.domain, i.code
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var indicators = new List<CatalogueIndicator>();
        while (await reader.ReadAsync(cancellationToken))
            indicators.Add(new CatalogueIndicator(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8), reader.GetInt64(9),
                reader.GetFieldValue<DateTimeOffset>(10)));
        return indicators;
    }

    /// <summary>
    /// The catalogue entry of a health figure's condition (the health load files conditions under catalogue codes);
    /// null for a condition the catalogue does not describe.
    /// </summary>
    public static CatalogueIndicator? Describing(IEnumerable<CatalogueIndicator> catalogue, string condition) =>
        catalogue.FirstOrDefault(i => i.Code == condition);
}
