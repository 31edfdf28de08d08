namespace Analytics.Jobs.Ingest.Health;

/// <summary>
/// Remembers which (territory, period, condition, sex, age band) keys a file has shown, to find
/// repeated keys while streaming. One bit per key, in blocks of 65,536 territories per
/// (period, condition, sex, age band) combination, so memory follows the number of combinations
/// — a few megabytes — not the number of rows.
/// </summary>
internal sealed class KeySet
{
    private const int BlockBits = 16;
    private readonly Dictionary<(int Combination, long Block), ulong[]> blocks = [];
    private readonly Dictionary<(string, string, string, string), int> combinations = [];

    /// <summary>Adds a key; false when the file already had it.</summary>
    public bool Add(long territoryId, string period, string condition, string sex, string ageBand)
    {
        if (!combinations.TryGetValue((period, condition, sex, ageBand), out var combination))
            combinations[(period, condition, sex, ageBand)] = combination = combinations.Count;
        var key = (combination, territoryId >> BlockBits);
        if (!blocks.TryGetValue(key, out var bits))
            blocks[key] = bits = new ulong[(1 << BlockBits) / 64];
        var offset = (int)(territoryId & ((1 << BlockBits) - 1));
        var mask = 1UL << (offset & 63);
        if ((bits[offset >> 6] & mask) != 0)
            return false;
        bits[offset >> 6] |= mask;
        return true;
    }
}
