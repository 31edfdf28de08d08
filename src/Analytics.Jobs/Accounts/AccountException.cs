namespace Analytics.Jobs.Accounts;

/// <summary>A request about accounts that cannot be carried out as asked; the message says why and is safe to show.</summary>
public sealed class AccountException(string field, string message) : Exception(message)
{
    /// <summary>The input field the problem is about (for problem responses and command-line errors).</summary>
    public string Field { get; } = field;
}
