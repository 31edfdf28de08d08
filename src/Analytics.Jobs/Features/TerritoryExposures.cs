using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Features;

/// <summary>Writes to <c>features.territory_exposure</c> shared by interpolation and station values.</summary>
internal static class TerritoryExposures
{
    /// <summary>Removes what an earlier run wrote for one layer batch, method and zoning (and period, when given), so a run can be repeated.</summary>
    public static async Task ClearAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long layerId, long batchId, string method,
        string level, int vintage, string? period, CancellationToken cancellationToken)
    {
        await using var clear = new NpgsqlCommand("""
            DELETE FROM features.territory_exposure e USING geo.territory t
            WHERE e.layer_id = $1 AND e.batch_id = $2 AND e.method = $3 AND t.id = e.territory_id AND t.level = $4 AND t.vintage = $5
              AND ($6::text IS NULL OR e.period = $6)
            """, connection, transaction);
        clear.Parameters.Add(new() { Value = layerId });
        clear.Parameters.Add(new() { Value = batchId });
        clear.Parameters.Add(new() { Value = method });
        clear.Parameters.Add(new() { Value = level });
        clear.Parameters.Add(new() { Value = vintage });
        clear.Parameters.Add(new() { Value = (object?)period ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await clear.ExecuteNonQueryAsync(cancellationToken);
    }
}
