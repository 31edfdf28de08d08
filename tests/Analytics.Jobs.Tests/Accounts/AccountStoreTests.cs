using Analytics.Jobs.Accounts;
using Analytics.Jobs.AuditTrail;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Analytics.Jobs.Tests.Accounts;

public class AccountStoreTests(PostgisDatabase db) : IClassFixture<PostgisDatabase>, IDisposable
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly string keyFile = Path.Combine(Path.GetTempPath(), $"analytics-test-{Guid.NewGuid():N}.key");

    private AccountRecords Records => new(db.DataSource, clock, Options.Create(new AccountOptions { SecretKeyFile = keyFile }), NullLogger<AccountRecords>.Instance, new AuditLog(db.DataSource, clock, Options.Create(new AuditOptions())));

    private AccountStore Store => new(Records);

    private ApiTokens Tokens => new(Records, Store);

    public void Dispose() => File.Delete(keyFile);

    private static string Unique(string stem) => $"{stem}-{Guid.NewGuid():N}"[..24];

    [Fact]
    public async Task an_account_signs_in_with_its_password_and_not_with_another()
    {
        var name = Unique("ana");
        await Store.CreateAsync(name, "Ana Lyse", "correct horse battery", ["analyst"], "tests");
        var signedIn = await Store.VerifyPasswordAsync(name.ToUpperInvariant(), "correct horse battery");
        Assert.NotNull(signedIn);
        Assert.Equal(["analyst"], signedIn.Roles);
        Assert.Null(await Store.VerifyPasswordAsync(name, "correct horse batterY"));
        Assert.Null(await Store.VerifyPasswordAsync("nobody-at-all", "correct horse battery"));
    }

    [Fact]
    public async Task a_password_is_stored_only_as_a_salted_hash()
    {
        var first = Unique("pw1");
        var second = Unique("pw2");
        await Store.CreateAsync(first, "", "the same long password", ["planner"], "tests");
        await Store.CreateAsync(second, "", "the same long password", ["planner"], "tests");
        var hashes = await db.ScalarAsync<string[]>("SELECT array_agg(password_hash ORDER BY user_name) FROM auth.account WHERE user_name IN ($1, $2)", first, second);
        Assert.All(hashes, h => Assert.DoesNotContain("the same long password", h));
        Assert.NotEqual(hashes[0], hashes[1]);
    }

    [Theory]
    [InlineData("root")]
    [InlineData("reviewers")]
    [InlineData("analyst,superuser")]
    public async Task roles_outside_the_six_are_refused(string roles)
    {
        var error = await Assert.ThrowsAsync<AccountException>(() =>
            Store.CreateAsync(Unique("bad"), "", "long enough password", roles.Split(','), "tests"));
        Assert.Equal("roles", error.Field);
    }

    [Fact]
    public async Task role_names_are_normalised_to_lower_case()
    {
        var account = await Store.CreateAsync(Unique("norm"), "", "long enough password", [" Admin ", "STEWARD"], "tests");
        Assert.Equal(["admin", "steward"], account.Roles);
    }

    [Fact]
    public async Task short_passwords_and_duplicate_names_are_refused_with_the_field_named()
    {
        var shortPassword = await Assert.ThrowsAsync<AccountException>(() => Store.CreateAsync(Unique("short"), "", "too short", ["analyst"], "tests"));
        Assert.Equal("password", shortPassword.Field);
        var name = Unique("dup");
        await Store.CreateAsync(name, "", "long enough password", ["analyst"], "tests");
        var duplicate = await Assert.ThrowsAsync<AccountException>(() => Store.CreateAsync(name, "", "long enough password", ["analyst"], "tests"));
        Assert.Equal("userName", duplicate.Field);
    }

    [Fact]
    public async Task a_token_authenticates_until_revoked_and_its_secret_is_never_stored()
    {
        var account = await Store.CreateAsync(Unique("tok"), "", "long enough password", ["analyst"], "tests");
        var issued = await Tokens.IssueTokenAsync(account.Id, "notebook", 30, "tests");
        Assert.StartsWith(ApiTokenSecret.Prefix, issued.Secret);
        Assert.Equal(account.Id, (await Tokens.AuthenticateTokenAsync(issued.Secret))?.Id);

        var stored = await db.ScalarAsync<long>("SELECT count(*) FROM auth.api_token WHERE encode(token_hash, 'escape') LIKE '%' || $1 || '%' OR prefix = $1", issued.Secret);
        Assert.Equal(0, stored);

        Assert.True(await Tokens.RevokeTokenAsync(account.Id, issued.Info.Id, "tests"));
        Assert.Null(await Tokens.AuthenticateTokenAsync(issued.Secret));
        Assert.False(await Tokens.RevokeTokenAsync(account.Id, issued.Info.Id, "tests"));
    }

    [Fact]
    public async Task a_tokens_last_use_is_recorded_to_the_minute_not_on_every_request()
    {
        var account = await Store.CreateAsync(Unique("use"), "", "long enough password", ["analyst"], "tests");
        var issued = await Tokens.IssueTokenAsync(account.Id, "script", 30, "tests");
        // Seconds since the epoch, -1 when never used.
        Task<double> LastUsedAsync() => db.ScalarAsync<double>("SELECT coalesce(extract(epoch FROM last_used_at)::float8, -1) FROM auth.api_token WHERE id = $1", issued.Info.Id);
        double Now() => clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

        Assert.Equal(-1, await LastUsedAsync());
        await Tokens.AuthenticateTokenAsync(issued.Secret);
        var first = await LastUsedAsync();
        Assert.Equal(Now(), first);
        clock.Advance(TimeSpan.FromSeconds(50));
        Assert.NotNull(await Tokens.AuthenticateTokenAsync(issued.Secret));
        Assert.Equal(first, await LastUsedAsync());
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.NotNull(await Tokens.AuthenticateTokenAsync(issued.Secret));
        Assert.Equal(Now(), await LastUsedAsync());
    }

    [Fact]
    public async Task a_token_stops_working_when_it_expires()
    {
        var account = await Store.CreateAsync(Unique("exp"), "", "long enough password", ["analyst"], "tests");
        var issued = await Tokens.IssueTokenAsync(account.Id, "short-lived", 1, "tests");
        clock.Advance(TimeSpan.FromHours(23));
        Assert.NotNull(await Tokens.AuthenticateTokenAsync(issued.Secret));
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Null(await Tokens.AuthenticateTokenAsync(issued.Secret));
    }

    [Fact]
    public async Task disabling_an_account_revokes_every_live_token_and_refuses_its_password()
    {
        var account = await Store.CreateAsync(Unique("dis"), "", "long enough password", ["analyst"], "tests");
        var script = await Tokens.IssueTokenAsync(account.Id, "script", 10, "tests");
        var notebook = await Tokens.IssueTokenAsync(account.Id, "notebook", 10, "tests");
        Assert.True(await Tokens.RevokeTokenAsync(account.Id, notebook.Info.Id, "tests"));

        Assert.Equal(1, await Store.DisableAsync(account.UserName, "tests"));

        Assert.Null(await Tokens.AuthenticateTokenAsync(script.Secret));
        Assert.Null(await Store.VerifyPasswordAsync(account.UserName, "long enough password"));
        Assert.All(await Tokens.ListTokensAsync(account.Id), t => Assert.NotNull(t.RevokedAt));
        var disabled = await Store.FindByIdAsync(account.Id);
        Assert.True(disabled!.IsDisabled);
        Assert.NotEqual(account.SecurityStamp, disabled.SecurityStamp);

        await Store.EnableAsync(account.UserName, "tests");
        Assert.NotNull(await Store.VerifyPasswordAsync(account.UserName, "long enough password"));
        Assert.Null(await Tokens.AuthenticateTokenAsync(script.Secret));
        Assert.Equal("userName", (await Assert.ThrowsAsync<AccountException>(() => Store.DisableAsync("nobody-here", "tests"))).Field);
    }

    [Fact]
    public async Task the_security_stamp_changes_with_the_password_and_with_the_roles_but_not_when_the_same_roles_are_set_again()
    {
        var account = await Store.CreateAsync(Unique("stamp"), "", "long enough password", ["analyst"], "tests");
        var sameRoles = await Store.SetRolesAsync(account.UserName, ["analyst"], "tests");
        Assert.Equal(account.SecurityStamp, sameRoles.SecurityStamp);
        var newRoles = await Store.SetRolesAsync(account.UserName, ["analyst", "planner"], "tests");
        Assert.NotEqual(account.SecurityStamp, newRoles.SecurityStamp);
        await Store.SetPasswordAsync(account.UserName, "another long password", "tests");
        Assert.NotEqual(newRoles.SecurityStamp, (await Store.FindByIdAsync(account.Id))!.SecurityStamp);
    }

    [Fact]
    public async Task token_lifetimes_beyond_a_year_and_nameless_tokens_are_refused()
    {
        var account = await Store.CreateAsync(Unique("life"), "", "long enough password", ["analyst"], "tests");
        Assert.Equal("lifetimeDays", (await Assert.ThrowsAsync<AccountException>(() => Tokens.IssueTokenAsync(account.Id, "x", 366, "tests"))).Field);
        Assert.Equal("name", (await Assert.ThrowsAsync<AccountException>(() => Tokens.IssueTokenAsync(account.Id, " ", 1, "tests"))).Field);
    }

    [Fact]
    public async Task a_change_whose_audit_event_cannot_be_written_is_not_made()
    {
        var account = await Store.CreateAsync(Unique("atomic"), "", "long enough password", ["analyst"], "tests");
        var token = await Tokens.IssueTokenAsync(account.Id, "script", 5, "tests");
        // An actor the audit log refuses (a NUL): the event fails inside the change's transaction.
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SetRolesAsync(account.UserName, ["admin"], "bad\0actor"));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SetPasswordAsync(account.UserName, "another long password", "bad\0actor"));
        await Assert.ThrowsAsync<ArgumentException>(() => Tokens.IssueTokenAsync(account.Id, "other", 5, "bad\0actor"));
        Assert.Equal(["analyst"], (await Store.FindByIdAsync(account.Id))!.Roles);
        Assert.NotNull(await Store.VerifyPasswordAsync(account.UserName, "long enough password"));
        Assert.NotNull(await Tokens.AuthenticateTokenAsync(token.Secret));
        Assert.Single(await Tokens.ListTokensAsync(account.Id));
    }

    [Fact]
    public async Task a_new_password_revokes_every_live_token_and_ends_every_session()
    {
        var account = await Store.CreateAsync(Unique("leak"), "", "long enough password", ["analyst"], "tests");
        var token = await Tokens.IssueTokenAsync(account.Id, "script", 5, "tests");
        var sessions = new SessionStore(db.DataSource, clock, new AuditLog(db.DataSource, clock, Options.Create(new AuditOptions())));
        var session = await sessions.OpenAsync(account, secondFactorPassed: false);
        Assert.NotNull(await sessions.FindAsync(session));
        await Store.SetPasswordAsync(account.UserName, "another long password", "admin-on-duty");
        Assert.Null(await Tokens.AuthenticateTokenAsync(token.Secret));
        Assert.Null(await sessions.FindAsync(session));
    }

    [Fact]
    public async Task a_session_ends_at_sign_out_and_after_its_lifetime_whatever_the_activity()
    {
        var account = await Store.CreateAsync(Unique("sess"), "", "long enough password", ["analyst"], "tests");
        var sessions = new SessionStore(db.DataSource, clock, new AuditLog(db.DataSource, clock, Options.Create(new AuditOptions())));
        var signedOut = await sessions.OpenAsync(account, secondFactorPassed: false);
        Assert.True(await sessions.EndAsync(signedOut));
        Assert.Null(await sessions.FindAsync(signedOut));
        Assert.False(await sessions.EndAsync(signedOut));

        var expiring = await sessions.OpenAsync(account, secondFactorPassed: true);
        clock.Advance(SessionStore.Lifetime - TimeSpan.FromSeconds(1));
        Assert.True((await sessions.FindAsync(expiring))!.SecondFactorPassed);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await sessions.FindAsync(expiring));
    }
}
