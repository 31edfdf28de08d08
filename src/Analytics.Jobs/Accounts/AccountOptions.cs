using System.ComponentModel.DataAnnotations;

namespace Analytics.Jobs.Accounts;

/// <summary>Where the key for account secrets is, and when failed sign-ins lock an account. Bound from the <c>Accounts</c> section.</summary>
public sealed class AccountOptions
{
    public const string Section = "Accounts";

    /// <summary>
    /// File holding the 256-bit key (base64, one line) that encrypts TOTP secrets in the database.
    /// Created with a random key, readable only by its owner, when missing. The API and every
    /// <c>analytics-jobs</c> process must read the same file; back it up apart from the database
    /// (losing it means resetting every account's second factor).
    /// </summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Accounts:SecretKeyFile must name a file.")]
    public string SecretKeyFile { get; set; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
        "one-health-analytics", "accounts-secret.key");

    /// <summary>Wrong passwords or codes in a row that lock an account.</summary>
    [Range(1, 100, ErrorMessage = "Accounts:MaxFailedSignIns must be between 1 and 100.")]
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account refuses every sign-in, in minutes.</summary>
    [Range(1, 1440, ErrorMessage = "Accounts:LockoutMinutes must be between 1 and 1440.")]
    public int LockoutMinutes { get; set; } = 15;
}
