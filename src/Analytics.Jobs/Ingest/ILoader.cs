namespace Analytics.Jobs.Ingest;

/// <summary>
/// Reads one kind of file and writes its rows inside the load's transaction. A loader throws
/// <see cref="IngestException"/> to refuse the file whole and calls <see cref="LoadContext.Reject"/>
/// to refuse one record.
/// </summary>
public interface ILoader
{
    Task LoadAsync(LoadContext context, CancellationToken cancellationToken);
}
