using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Analytics.Jobs.Accounts;

/// <summary>
/// Encrypts account secrets (TOTP keys) for storage with AES-256-GCM under a key kept in a file
/// outside the database, so a copy of the database alone reveals no second factor.
/// </summary>
/// <remarks>
/// Stored form: version byte (1), 12-byte random nonce, 16-byte tag, ciphertext. The account id
/// is authenticated with it (associated data), so a value copied onto another account's row
/// does not decrypt. The key file is read — or created, atomically, when missing — on first use.
/// </remarks>
public sealed class AccountSecretCipher(string keyFile)
{
    private const byte Version = 1;
    private const int KeyBytes = 32;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const int HeaderBytes = 1 + NonceBytes + TagBytes;

    private readonly Lazy<byte[]> key = new(() => LoadOrCreateKey(keyFile));

    public byte[] Protect(ReadOnlySpan<byte> secret, long accountId)
    {
        var stored = new byte[HeaderBytes + secret.Length];
        stored[0] = Version;
        var nonce = stored.AsSpan(1, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Value, TagBytes);
        aes.Encrypt(nonce, secret, stored.AsSpan(HeaderBytes), stored.AsSpan(1 + NonceBytes, TagBytes), AssociatedData(accountId));
        return stored;
    }

    public byte[] Unprotect(byte[] stored, long accountId)
    {
        if (stored.Length <= HeaderBytes || stored[0] != Version)
            throw new CryptographicException($"The stored secret of account {accountId} is not in a format this build reads.");
        var secret = new byte[stored.Length - HeaderBytes];
        using var aes = new AesGcm(key.Value, TagBytes);
        try
        {
            aes.Decrypt(stored.AsSpan(1, NonceBytes), stored.AsSpan(HeaderBytes), stored.AsSpan(1 + NonceBytes, TagBytes), secret, AssociatedData(accountId));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new CryptographicException(
                $"The second-factor secret of account {accountId} does not decrypt with the key in {keyFile} (Accounts:SecretKeyFile): " +
                "the key file was replaced or another one is configured. Restore the key, or reset the account's second factor ('analytics-jobs user totp reset').", e);
        }
        return secret;
    }

    private static byte[] AssociatedData(long accountId)
    {
        var data = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(data, accountId);
        return data;
    }

    private static byte[] LoadOrCreateKey(string path)
    {
        if (!File.Exists(path))
            CreateKeyFile(path);
        for (var attempt = 1; ; attempt++)
        {
            byte[] key;
            try
            {
                key = Convert.FromBase64String(File.ReadAllText(path).Trim());
            }
            catch (FormatException)
            {
                key = [];
            }
            if (key.Length == KeyBytes)
                return key;
            // Another process may have created the file an instant ago and still be writing its line.
            if (attempt == 20)
                throw new InvalidOperationException($"Accounts:SecretKeyFile ({path}) must hold a base64-encoded 256-bit key on one line.");
            Thread.Sleep(50);
        }
    }

    /// <summary>
    /// Creates the key file with a new random key, atomically (the creation fails if the file exists,
    /// O_EXCL), so processes starting together all end up with the first one's key.
    /// </summary>
    private static void CreateKeyFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var writer = new StreamWriter(path, options);
            writer.WriteLine(Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes)));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: its key is the one.
        }
    }
}
