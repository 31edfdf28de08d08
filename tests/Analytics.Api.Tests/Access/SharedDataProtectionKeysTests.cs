using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Analytics.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Api.Tests.Access;

/// <summary>
/// Several API processes on one database share the data-protection keys kept in it
/// (<c>auth.data_protection_key</c>), so a cookie written by one is read by the others. Each
/// <c>WithWebHostBuilder</c> host below is a process of its own as far as the key ring goes: its own
/// services, its own key ring in memory.
/// </summary>
public class SharedDataProtectionKeysTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly Uri Https = new("https://localhost");

    [Fact]
    public async Task a_session_cookie_from_one_api_process_is_accepted_by_another_on_the_same_database()
    {
        var account = await api.NewAccountAsync(["planner"]);
        var first = api.CreateClient(new() { BaseAddress = Https, HandleCookies = false });
        var signIn = await first.PostAsJsonAsync("/api/auth/sign-in", new { userName = account.UserName, password = ApiFactory.Password });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var setCookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-oh.session=", StringComparison.Ordinal));

        using var secondProcess = api.WithWebHostBuilder(_ => { });
        var second = secondProcess.CreateClient(new() { BaseAddress = Https, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Add("Cookie", setCookie[..setCookie.IndexOf(';')]);
        var me = await second.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(account.UserName, (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("userName").GetString());
        Assert.True(await api.Database.ScalarAsync<long>("SELECT count(*) FROM auth.data_protection_key WHERE name LIKE 'key-%'") >= 1);
    }

    [Fact]
    public async Task the_key_ring_comes_from_the_database_not_from_the_process_or_its_file_system()
    {
        var secret = Protector(api.Services).Protect("shared");
        using (var sameDatabase = api.WithWebHostBuilder(_ => { }))
            Assert.Equal("shared", Protector(sameDatabase.Services).Unprotect(secret));

        // Same machine, same user, same folder, another database: another key ring.
        var other = new PostgisDatabase();
        await other.InitializeAsync();
        try
        {
            using var otherDatabase = api.WithWebHostBuilder(b => b.UseSetting("Database:ConnectionString", other.ConnectionString));
            Assert.ThrowsAny<CryptographicException>(() => Protector(otherDatabase.Services).Unprotect(secret));
        }
        finally
        {
            await other.DisposeAsync();
        }
    }

    private static IDataProtector Protector(IServiceProvider services) =>
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector("shared-keys-test");
}
