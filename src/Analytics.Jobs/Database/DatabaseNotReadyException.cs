namespace Analytics.Jobs.Database;

/// <summary>
/// The database cannot be used as it is: unreachable, PostGIS missing or too old, or a
/// migration changed after it was applied. The message says what to do about it.
/// </summary>
public sealed class DatabaseNotReadyException(string message, Exception? inner = null) : Exception(message, inner);
