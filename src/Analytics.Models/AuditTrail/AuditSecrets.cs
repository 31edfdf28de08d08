using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Analytics.Models.AuditTrail;

/// <summary>
/// Keeps secrets out of the audit log: passwords, tokens and one-time-password (TOTP) secrets must
/// never be written there, since the log is kept for a year, exported and read by auditors.
/// </summary>
/// <remarks>
/// A member name is refused when one of its words (split at '_', '-', '.', digits and camelCase
/// humps) names a secret — <c>password</c>, <c>token</c>, <c>secret</c>, <c>totp</c>, <c>otp</c>,
/// … — or when the name run together spells <c>password</c>, <c>motdepasse</c>,
/// <c>passphrase</c> or <c>apikey</c>. Words, not substrings: <c>footprint</c> and <c>tot_pop</c>
/// pass, <c>new_password</c> and <c>totpSeed</c> do not. Statistical secrecy is spelt
/// <c>secrecy</c>. Any text is refused when it holds a personal API token (<c>oht_</c> and at least
/// 16 more token characters; the 6-character display prefix passes) or an <c>otpauth://</c> URI.
/// Findings name where the secret is, never its value.
/// </remarks>
public static partial class AuditSecrets
{
    private static readonly HashSet<string> SecretWords = new(StringComparer.Ordinal)
    {
        "password", "passwords", "passwd", "pwd", "passphrase", "mdp",
        "token", "tokens", "secret", "secrets", "totp", "hotp", "otp", "otps",
        "apikey", "credential", "credentials", "cookie", "cookies", "authorization", "bearer",
    };

    private static readonly string[] SecretSpellings = ["password", "motdepasse", "passphrase", "apikey"];

    /// <summary>True when a member named <paramref name="name"/> would hold a secret.</summary>
    public static bool IsSecretName(string name)
    {
        var words = Words(name);
        if (words.Any(SecretWords.Contains))
            return true;
        var runTogether = string.Concat(words);
        return SecretSpellings.Any(s => runTogether.Contains(s, StringComparison.Ordinal));
    }

    /// <summary>True when <paramref name="text"/> holds an API token or an otpauth URI.</summary>
    public static bool HoldsSecret(string text) => SecretValue().IsMatch(text);

    /// <summary>Where <paramref name="details"/> holds a secret (a JSON path such as <c>$.account.password</c>), or null when it holds none.</summary>
    public static string? Find(JsonElement details) => Find(details, "$");

    private static string? Find(JsonElement value, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in value.EnumerateObject())
                {
                    var memberPath = $"{path}.{member.Name}";
                    if (IsSecretName(member.Name))
                        return $"{memberPath} (a member named like a password, token or secret)";
                    if (Find(member.Value, memberPath) is { } found)
                        return found;
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (Find(item, $"{path}[{index++}]") is { } found)
                        return found;
                }
                return null;
            case JsonValueKind.String:
                return HoldsSecret(value.GetString()!) ? $"{path} (a value holding an API token or an otpauth URI)" : null;
            default:
                return null;
        }
    }

    private static List<string> Words(string name)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsLetter(c))
            {
                Flush();
                continue;
            }
            // A hump starts a word: "newPassword" → new, password; "APIKey" stays one run of capitals then "Key".
            if (char.IsUpper(c) && word.Length > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                Flush();
            word.Append(char.ToLowerInvariant(c));
        }
        Flush();
        return words;

        void Flush()
        {
            if (word.Length > 0)
                words.Add(word.ToString());
            word.Clear();
        }
    }

    [GeneratedRegex(@"oht_[A-Za-z0-9_\-]{16,}|otpauth(-migration)?://", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretValue();
}
