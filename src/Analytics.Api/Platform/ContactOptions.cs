namespace Analytics.Api.Platform;

/// <summary>
/// The team accountable for the published figures and model outputs, named on every screen that shows them so that
/// a reader has a human to ask. Bound from the <c>Contact</c> section; a deployment names its own team.
/// </summary>
public sealed class ContactOptions
{
    public const string Section = "Contact";

    public string? Team { get; set; }
    public string? Name { get; set; }
    public string? Email { get; set; }

    /// <summary>True when the team, a person and an address are all named.</summary>
    public bool IsComplete => !string.IsNullOrWhiteSpace(Team) && !string.IsNullOrWhiteSpace(Name) && !string.IsNullOrWhiteSpace(Email);
}
