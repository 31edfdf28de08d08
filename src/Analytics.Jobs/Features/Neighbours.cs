using System.Globalization;
using Analytics.Models.Spatial;
using Npgsql;

namespace Analytics.Jobs.Features;

/// <summary>How territories count as neighbours.</summary>
public enum NeighbourRule
{
    /// <summary>Sharing at least a point of their boundaries.</summary>
    Queen,
    /// <summary>Sharing a stretch of boundary (a line, not a single point).</summary>
    Rook,
    /// <summary>The k nearest, by distance between representative points.</summary>
    Nearest,
    /// <summary>Every territory whose representative point lies within a distance.</summary>
    DistanceBand,
}

/// <summary>
/// Neighbour lists of the territories of one zoning, computed by PostGIS in Lambert-93, for the
/// spatial statistics of <c>Analytics.Models.Spatial</c>. Territories with no neighbour under the
/// rule (islands, for contiguity) keep an empty list: the statistics report them rather than
/// inventing a link.
/// </summary>
public sealed class Neighbours(NpgsqlDataSource dataSource)
{
    /// <summary>The territories in a stable order (by code) and, for each, the indices of its neighbours.</summary>
    public sealed record Lists(IReadOnlyList<long> TerritoryIds, IReadOnlyList<string> Codes, IReadOnlyList<IReadOnlyList<int>> Neighbours)
    {
        public IEnumerable<string> Islands => Codes.Where((_, i) => Neighbours[i].Count == 0);

        /// <summary>
        /// Spatial weights among <paramref name="territoryIds"/> only, in that order: a territory left
        /// out (no data) is dropped from the graph rather than counted as a neighbour with a zero.
        /// </summary>
        public SpatialWeights WeightsAmong(IReadOnlyList<long> territoryIds, WeightStyle style)
        {
            var listed = TerritoryIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
            var at = territoryIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
            IReadOnlyList<IReadOnlyList<int>> lists = territoryIds
                .Select(id => (IReadOnlyList<int>)Neighbours[listed[id]].Select(n => TerritoryIds[n]).Where(at.ContainsKey).Select(n => at[n]).ToList())
                .ToList();
            return SpatialWeights.FromNeighbours(lists, style);
        }
    }

    /// <summary>Neighbour lists of the territories of <paramref name="level"/> and <paramref name="vintage"/> under <paramref name="rule"/>.</summary>
    /// <param name="level">Territory level.</param>
    /// <param name="vintage">Zoning vintage.</param>
    /// <param name="rule">What makes two territories neighbours.</param>
    /// <param name="k">Neighbours per territory for <see cref="NeighbourRule.Nearest"/>.</param>
    /// <param name="distanceMetres">Reach for <see cref="NeighbourRule.DistanceBand"/>.</param>
    /// <param name="cancellationToken">Stops the query.</param>
    public async Task<Lists> ReadAsync(string level, int vintage, NeighbourRule rule, int k = 6, double distanceMetres = 10_000, CancellationToken cancellationToken = default)
    {
        var ids = new List<long>();
        var codes = new List<string>();
        await using (var command = dataSource.CreateCommand("SELECT id, code FROM geo.territory WHERE level = $1 AND vintage = $2 ORDER BY code"))
        {
            command.Parameters.Add(new() { Value = level });
            command.Parameters.Add(new() { Value = vintage });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
                codes.Add(reader.GetString(1));
            }
        }
        var index = ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var lists = ids.Select(_ => new SortedSet<int>()).ToList();
        var pairs = rule switch
        {
            // Contiguity is symmetric: each pair once (a.id < b.id), both directions added below.
            NeighbourRule.Queen => """
                SELECT a.id, b.id FROM geo.territory a JOIN geo.territory b
                  ON b.level = a.level AND b.vintage = a.vintage AND a.id < b.id AND a.geom_l93 && b.geom_l93 AND ST_Intersects(a.geom_l93, b.geom_l93)
                WHERE a.level = $1 AND a.vintage = $2
                """,
            NeighbourRule.Rook => """
                SELECT a.id, b.id FROM geo.territory a JOIN geo.territory b
                  ON b.level = a.level AND b.vintage = a.vintage AND a.id < b.id AND a.geom_l93 && b.geom_l93 AND ST_Relate(a.geom_l93, b.geom_l93, '****1****')
                WHERE a.level = $1 AND a.vintage = $2
                """,
            NeighbourRule.Nearest => $"""
                WITH p AS (SELECT id, ST_PointOnSurface(geom_l93) AS point FROM geo.territory WHERE level = $1 AND vintage = $2)
                SELECT a.id, n.id FROM p a CROSS JOIN LATERAL (
                    SELECT b.id FROM p b WHERE b.id <> a.id ORDER BY a.point <-> b.point, b.id LIMIT {k.ToString(CultureInfo.InvariantCulture)}) n
                """,
            NeighbourRule.DistanceBand => $"""
                WITH p AS (SELECT id, ST_PointOnSurface(geom_l93) AS point FROM geo.territory WHERE level = $1 AND vintage = $2)
                SELECT a.id, b.id FROM p a JOIN p b ON a.id < b.id AND ST_DWithin(a.point, b.point, {distanceMetres.ToString(CultureInfo.InvariantCulture)})
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(rule)),
        };
        await using (var command = dataSource.CreateCommand(pairs))
        {
            command.CommandTimeout = 0; // minutes nationally: bounded by Database:StatementTimeoutSeconds on the server
            command.Parameters.Add(new() { Value = level });
            command.Parameters.Add(new() { Value = vintage });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var a = index[reader.GetInt64(0)];
                var b = index[reader.GetInt64(1)];
                lists[a].Add(b);
                if (rule != NeighbourRule.Nearest)
                    lists[b].Add(a); // k-nearest is not symmetric: only a → b
            }
        }
        return new Lists(ids, codes, lists.Select(l => (IReadOnlyList<int>)l.ToList()).ToList());
    }
}
