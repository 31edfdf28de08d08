using System.Security.Cryptography;
using System.Text;

namespace Analytics.Jobs.Accounts;

/// <summary>
/// Personal API token secrets: 256 random bits, base64url, with a recognisable prefix so leaked
/// tokens can be found by secret scanners. Only their SHA-256 is stored — a slow hash buys nothing
/// for a secret with 256 bits of entropy, and lookup by hash must be fast.
/// </summary>
public static class ApiTokenSecret
{
    public const string Prefix = "oht_";

    public static string Generate() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>The part of a secret that may be displayed to tell tokens apart.</summary>
    public static string DisplayPrefix(string secret) => secret[..Math.Min(secret.Length, Prefix.Length + 6)];

    public static bool LooksLikeToken(string value) => value.StartsWith(Prefix, StringComparison.Ordinal) && value.Length > Prefix.Length + 20;

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
