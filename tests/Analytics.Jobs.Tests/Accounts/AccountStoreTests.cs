using Analytics.Jobs.Accounts;
using Analytics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Analytics.Jobs.Tests.Accounts;

public class AccountStoreTests(PostgisDatabase db) : IClassFixture<PostgisDatabase>
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    private AccountStore Store => new(db.DataSource, clock);

    private static string Unique(string stem) => $"{stem}-{Guid.NewGuid():N}"[..24];

    [Fact]
    public async Task an_account_signs_in_with_its_password_and_not_with_another()
    {
        var name = Unique("ana");
        await Store.CreateAsync(name, "Ana Lyse", "correct horse battery", ["analyst"]);
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
        await Store.CreateAsync(first, "", "the same long password", ["planner"]);
        await Store.CreateAsync(second, "", "the same long password", ["planner"]);
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
            Store.CreateAsync(Unique("bad"), "", "long enough password", roles.Split(',')));
        Assert.Equal("roles", error.Field);
    }

    [Fact]
    public async Task role_names_are_normalised_to_lower_case()
    {
        var account = await Store.CreateAsync(Unique("norm"), "", "long enough password", [" Admin ", "STEWARD"]);
        Assert.Equal(["admin", "steward"], account.Roles);
    }

    [Fact]
    public async Task short_passwords_and_duplicate_names_are_refused_with_the_field_named()
    {
        var shortPassword = await Assert.ThrowsAsync<AccountException>(() => Store.CreateAsync(Unique("short"), "", "too short", ["analyst"]));
        Assert.Equal("password", shortPassword.Field);
        var name = Unique("dup");
        await Store.CreateAsync(name, "", "long enough password", ["analyst"]);
        var duplicate = await Assert.ThrowsAsync<AccountException>(() => Store.CreateAsync(name, "", "long enough password", ["analyst"]));
        Assert.Equal("userName", duplicate.Field);
    }

    [Fact]
    public async Task a_token_authenticates_until_revoked_and_its_secret_is_never_stored()
    {
        var account = await Store.CreateAsync(Unique("tok"), "", "long enough password", ["auditor"]);
        var issued = await Store.IssueTokenAsync(account.Id, "notebook", TimeSpan.FromDays(30));
        Assert.StartsWith(ApiTokenSecret.Prefix, issued.Secret);
        Assert.Equal(account.Id, (await Store.AuthenticateTokenAsync(issued.Secret))?.Id);

        var stored = await db.ScalarAsync<long>("SELECT count(*) FROM auth.api_token WHERE encode(token_hash, 'escape') LIKE '%' || $1 || '%' OR prefix = $1", issued.Secret);
        Assert.Equal(0, stored);

        Assert.True(await Store.RevokeTokenAsync(account.Id, issued.Info.Id));
        Assert.Null(await Store.AuthenticateTokenAsync(issued.Secret));
        Assert.False(await Store.RevokeTokenAsync(account.Id, issued.Info.Id));
    }

    [Fact]
    public async Task a_token_stops_working_when_it_expires()
    {
        var account = await Store.CreateAsync(Unique("exp"), "", "long enough password", ["analyst"]);
        var issued = await Store.IssueTokenAsync(account.Id, "short-lived", TimeSpan.FromDays(1));
        clock.Advance(TimeSpan.FromHours(23));
        Assert.NotNull(await Store.AuthenticateTokenAsync(issued.Secret));
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Null(await Store.AuthenticateTokenAsync(issued.Secret));
    }

    [Fact]
    public async Task a_disabled_account_keeps_no_working_token()
    {
        var account = await Store.CreateAsync(Unique("dis"), "", "long enough password", ["steward"]);
        var issued = await Store.IssueTokenAsync(account.Id, "script", TimeSpan.FromDays(10));
        await db.ScalarAsync<object>("UPDATE auth.account SET disabled_at = now() WHERE id = $1 RETURNING id", account.Id);
        Assert.Null(await Store.AuthenticateTokenAsync(issued.Secret));
        Assert.Null(await Store.VerifyPasswordAsync(account.UserName, "long enough password"));
    }

    [Fact]
    public async Task token_lifetimes_beyond_a_year_and_nameless_tokens_are_refused()
    {
        var account = await Store.CreateAsync(Unique("life"), "", "long enough password", ["analyst"]);
        Assert.Equal("lifetimeDays", (await Assert.ThrowsAsync<AccountException>(() => Store.IssueTokenAsync(account.Id, "x", TimeSpan.FromDays(366)))).Field);
        Assert.Equal("name", (await Assert.ThrowsAsync<AccountException>(() => Store.IssueTokenAsync(account.Id, " ", TimeSpan.FromDays(1)))).Field);
    }
}
