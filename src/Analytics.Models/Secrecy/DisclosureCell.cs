namespace Analytics.Models.Secrecy;

/// <summary>
/// One published cell as a reader sees it: its label, its count (a value, or suppressed, or
/// missing) and, when published, the population it is a count of.
/// </summary>
/// <remarks>
/// A published population makes the complement (population − cases) computable, which gives the
/// reader the bound cases ≤ population; the auditor uses it.
/// </remarks>
public sealed record DisclosureCell(string Label, Published<long> Cases, long? Population = null);
