using System.Security.Cryptography;
using Analytics.Jobs.Accounts;

namespace Analytics.Jobs.Tests.Accounts;

public class AccountSecretCipherTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"analytics-test-keys-{Guid.NewGuid():N}");

    private string KeyFile => Path.Combine(directory, "nested", "accounts.key");

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void a_missing_key_file_is_created_readable_only_by_its_owner_and_then_reused()
    {
        var secret = RandomNumberGenerator.GetBytes(20);
        var stored = new AccountSecretCipher(KeyFile).Protect(secret, 42);
        Assert.True(File.Exists(KeyFile));
        Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(KeyFile).Trim()).Length);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        Assert.Equal(secret, new AccountSecretCipher(KeyFile).Unprotect(stored, 42));
    }

    [Fact]
    public void processes_creating_the_key_at_once_end_up_sharing_one()
    {
        var secret = RandomNumberGenerator.GetBytes(20);
        var ciphers = Enumerable.Range(0, 8).Select(_ => new AccountSecretCipher(KeyFile)).ToList();
        var stored = ciphers.AsParallel().Select(c => c.Protect(secret, 7)).ToList();
        Assert.All(stored, s => Assert.Equal(secret, new AccountSecretCipher(KeyFile).Unprotect(s, 7)));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(KeyFile)!));
    }

    [Fact]
    public void the_same_secret_encrypts_differently_each_time_and_only_for_its_account()
    {
        var cipher = new AccountSecretCipher(KeyFile);
        var secret = RandomNumberGenerator.GetBytes(20);
        var first = cipher.Protect(secret, 1);
        Assert.NotEqual(first, cipher.Protect(secret, 1));
        Assert.Throws<CryptographicException>(() => cipher.Unprotect(first, 2));
        first[^1] ^= 1;
        Assert.Throws<CryptographicException>(() => cipher.Unprotect(first, 1));
    }

    [Fact]
    public void a_key_file_without_a_256_bit_key_is_refused_naming_the_setting()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyFile)!);
        File.WriteAllText(KeyFile, "not a key");
        var error = Assert.Throws<InvalidOperationException>(() => new AccountSecretCipher(KeyFile).Protect([1, 2, 3], 1));
        Assert.Contains("Accounts:SecretKeyFile", error.Message);
    }
}
