using System.Security.Cryptography;
using Analytics.Jobs.Accounts;
using Analytics.Jobs.AuditTrail;
using Analytics.Models.Access;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Analytics.Jobs.Tests.Accounts;

/// <summary>Second factors and lockout in the store, on a fake clock.</summary>
public class SecondFactorsTests(PostgisDatabase db) : IClassFixture<PostgisDatabase>, IDisposable
{
    private const string Password = "long enough password";

    // 2026-03-02T09:00:00Z is 1,772,442,000 s after the epoch: time step 59,081,400 exactly.
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly string keyFile = Path.Combine(Path.GetTempPath(), $"analytics-test-{Guid.NewGuid():N}.key");

    private AccountRecords RecordsWith(AccountOptions options) => new(db.DataSource, clock, Options.Create(options), NullLogger<AccountRecords>.Instance, new AuditLog(db.DataSource, clock, Options.Create(new AuditOptions())));

    private AccountStore StoreWith(AccountOptions options) => new(RecordsWith(options));

    private SecondFactors SecondFactorsWith(AccountOptions options) => new(RecordsWith(options));

    private AccountStore Store => StoreWith(new AccountOptions { SecretKeyFile = keyFile });

    private SecondFactors SecondFactors => SecondFactorsWith(new AccountOptions { SecretKeyFile = keyFile });

    private ApiTokens Tokens => new(RecordsWith(new AccountOptions { SecretKeyFile = keyFile }), Store);

    public void Dispose() => File.Delete(keyFile);

    private static string Unique(string stem) => $"{stem}-{Guid.NewGuid():N}"[..24];

    private string CodeNow(byte[] secret) => Totp.Code(secret, Totp.TimeStepAt(clock.GetUtcNow()));

    private async Task<(Account Account, byte[] Secret)> EnrolledAsync(string role)
    {
        var account = await Store.CreateAsync(Unique(role), "", Password, [role], "tests");
        var enrolment = await SecondFactors.BeginTotpEnrolmentAsync(account.Id);
        Assert.True(Base32.TryDecode(enrolment.Secret, out var secret));
        Assert.NotNull(await SecondFactors.ConfirmTotpEnrolmentAsync(account.Id, CodeNow(secret)));
        clock.Advance(TimeSpan.FromSeconds(30)); // the confirmation used this step's code
        return (account, secret);
    }

    [Fact]
    public void the_fake_clock_starts_on_a_step_boundary()
    {
        Assert.Equal(59_081_400, Totp.TimeStepAt(clock.GetUtcNow()));
    }

    [Fact]
    public async Task what_follows_the_password_depends_on_the_roles_and_on_enrolment()
    {
        var analyst = await Store.CreateAsync(Unique("ana"), "", Password, ["analyst"], "tests");
        var reviewer = await Store.CreateAsync(Unique("rev"), "", Password, ["reviewer"], "tests");
        Assert.Equal(SecondFactorStep.None, (await Store.VerifyPasswordAsync(analyst.UserName, Password))!.SecondFactor);
        Assert.Equal(SecondFactorStep.Enrolment, (await Store.VerifyPasswordAsync(reviewer.UserName, Password))!.SecondFactor);
        var (enrolled, _) = await EnrolledAsync("reviewer");
        Assert.Equal(SecondFactorStep.Code, (await Store.VerifyPasswordAsync(enrolled.UserName, Password))!.SecondFactor);
    }

    [Fact]
    public async Task a_code_is_accepted_once_within_a_step_either_side_and_not_later()
    {
        var (account, secret) = await EnrolledAsync("admin");
        var code = CodeNow(secret);
        clock.Advance(TimeSpan.FromSeconds(30)); // typed slowly: one step late still counts
        Assert.NotNull(await SecondFactors.VerifyTotpAsync(account.Id, code));
        Assert.Null(await SecondFactors.VerifyTotpAsync(account.Id, code)); // replay

        var late = CodeNow(secret);
        clock.Advance(TimeSpan.FromSeconds(61)); // two steps late
        Assert.Null(await SecondFactors.VerifyTotpAsync(account.Id, late));
        Assert.NotNull(await SecondFactors.VerifyTotpAsync(account.Id, CodeNow(secret)));
        Assert.Equal(Totp.TimeStepAt(clock.GetUtcNow()), await db.ScalarAsync<long>("SELECT totp_last_step FROM auth.account WHERE id = $1", account.Id));
    }

    [Fact]
    public async Task the_secret_is_stored_only_encrypted_and_does_not_decrypt_on_another_account_row()
    {
        var (account, secret) = await EnrolledAsync("steward");
        var stored = await db.ScalarAsync<byte[]>("SELECT totp_secret FROM auth.account WHERE id = $1", account.Id);
        Assert.Equal(1 + 12 + 16 + Totp.SecretBytes, stored.Length);
        Assert.DoesNotContain(Convert.ToHexString(secret), Convert.ToHexString(stored));

        // The same ciphertext copied onto another enrolled account does not pass as that account's key.
        var (other, _) = await EnrolledAsync("steward");
        await db.ScalarAsync<long>("UPDATE auth.account SET totp_secret = $1 WHERE id = $2 RETURNING id", stored, other.Id);
        await Assert.ThrowsAsync<CryptographicException>(() => SecondFactors.VerifyTotpAsync(other.Id, CodeNow(secret)));
    }

    [Fact]
    public async Task a_store_with_another_key_file_cannot_read_secrets_and_says_which_setting_to_check()
    {
        var (account, secret) = await EnrolledAsync("auditor");
        var otherKey = keyFile + ".other";
        try
        {
            var error = await Assert.ThrowsAsync<CryptographicException>(() =>
                SecondFactorsWith(new AccountOptions { SecretKeyFile = otherKey }).VerifyTotpAsync(account.Id, CodeNow(secret)));
            Assert.Contains("Accounts:SecretKeyFile", error.Message);
            Assert.Contains("user totp reset", error.Message);
        }
        finally
        {
            File.Delete(otherKey);
        }
    }

    [Fact]
    public async Task an_enrolment_is_confirmed_only_with_a_code_of_the_latest_key_and_only_once()
    {
        var account = await Store.CreateAsync(Unique("enr"), "", Password, ["reviewer"], "tests");
        Base32.TryDecode((await SecondFactors.BeginTotpEnrolmentAsync(account.Id)).Secret, out var first);
        Base32.TryDecode((await SecondFactors.BeginTotpEnrolmentAsync(account.Id)).Secret, out var second);
        Assert.Null(await SecondFactors.ConfirmTotpEnrolmentAsync(account.Id, CodeNow(first)));
        var confirmed = await SecondFactors.ConfirmTotpEnrolmentAsync(account.Id, CodeNow(second));
        Assert.True(confirmed!.HasTotp);
        var again = await Assert.ThrowsAsync<AccountException>(() => SecondFactors.BeginTotpEnrolmentAsync(account.Id));
        Assert.Contains("already has a second factor", again.Message);
    }

    [Fact]
    public async Task resetting_a_second_factor_clears_it_and_changes_the_stamp()
    {
        var (account, secret) = await EnrolledAsync("admin");
        await SecondFactors.ResetTotpAsync(account.UserName, "tests");
        var reset = (await Store.FindByIdAsync(account.Id))!;
        Assert.False(reset.HasTotp);
        Assert.Equal(SecondFactorStep.Enrolment, reset.SecondFactor);
        Assert.NotEqual(account.SecurityStamp, reset.SecurityStamp);
        Assert.Null(await SecondFactors.VerifyTotpAsync(account.Id, CodeNow(secret)));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM auth.account WHERE id = $1 AND totp_secret IS NOT NULL", account.Id));
    }

    [Fact]
    public async Task the_configured_number_of_failures_locks_for_the_configured_time_even_the_right_password()
    {
        var store = StoreWith(new AccountOptions { SecretKeyFile = keyFile, MaxFailedSignIns = 3, LockoutMinutes = 10 });
        var account = await store.CreateAsync(Unique("lock"), "", Password, ["analyst"], "tests");
        for (var attempt = 0; attempt < 3; attempt++)
            Assert.Null(await store.VerifyPasswordAsync(account.UserName, "wrong password " + attempt));
        Assert.Null(await store.VerifyPasswordAsync(account.UserName, Password));
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Null(await store.VerifyPasswordAsync(account.UserName, Password));
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.NotNull(await store.VerifyPasswordAsync(account.UserName, Password));
    }

    [Fact]
    public async Task failures_are_forgotten_after_a_complete_sign_in_but_not_after_a_password_alone()
    {
        var (account, secret) = await EnrolledAsync("reviewer");
        for (var attempt = 0; attempt < 4; attempt++)
            Assert.Null(await Store.VerifyPasswordAsync(account.UserName, "wrong password " + attempt));
        Assert.NotNull(await Store.VerifyPasswordAsync(account.UserName, Password)); // password right, code still to come
        Assert.Equal(4, await db.ScalarAsync<int>("SELECT failed_sign_ins FROM auth.account WHERE id = $1", account.Id));
        Assert.NotNull(await SecondFactors.VerifyTotpAsync(account.Id, CodeNow(secret)));
        Assert.Equal(0, await db.ScalarAsync<int>("SELECT failed_sign_ins FROM auth.account WHERE id = $1", account.Id));
    }

    [Fact]
    public async Task a_locked_account_refuses_even_the_right_code()
    {
        var (account, secret) = await EnrolledAsync("steward");
        for (var attempt = 0; attempt < 5; attempt++)
            Assert.Null(await SecondFactors.VerifyTotpAsync(account.Id, "000000" == CodeNow(secret) ? "111111" : "000000"));
        Assert.Null(await SecondFactors.VerifyTotpAsync(account.Id, CodeNow(secret)));
    }
}
