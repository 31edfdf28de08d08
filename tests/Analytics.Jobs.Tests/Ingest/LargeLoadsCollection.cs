namespace Analytics.Jobs.Tests.Ingest;

/// <summary>
/// The tests that load a million rows or so run one after the other rather than side by side: on
/// a two-core machine two of them at once starve every other test running meanwhile.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LargeLoadsCollection
{
    public const string Name = "Large ingest loads";
}
