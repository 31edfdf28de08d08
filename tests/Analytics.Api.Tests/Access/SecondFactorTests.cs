using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Analytics.Models.Access;

namespace Analytics.Api.Tests.Access;

/// <summary>The TOTP second factor over HTTP: who needs it, codes, replay, enrolment, and what a half-open sign-in can reach.</summary>
public class SecondFactorTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static async Task<string?> StepOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("step").GetString();

    /// <summary>Another 6-digit code than <paramref name="right"/> (it could match a neighbouring step's code with probability 2·10⁻⁶).</summary>
    private static string WrongCode(string right) => ((int.Parse(right) + 1) % 1_000_000).ToString("D6");

    private static Task<HttpResponseMessage> PostPasswordAsync(HttpClient browser, ApiFactory.TestAccount account) =>
        browser.PostAsJsonAsync("/api/auth/sign-in", new { userName = account.UserName, password = account.Password });

    [Theory]
    [InlineData("reviewer", "code")]
    [InlineData("auditor", "code")]
    [InlineData("steward", "code")]
    [InlineData("admin", "code")]
    [InlineData("analyst", "signed-in")]
    [InlineData("planner", "signed-in")]
    public async Task reviewers_auditors_stewards_and_admins_type_a_code_after_their_password_and_the_others_do_not(string role, string expectedStep)
    {
        var account = await api.NewAccountAsync([role]);
        var browser = api.CreateBrowser();
        var signIn = await PostPasswordAsync(browser, account);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal(expectedStep, await StepOf(signIn));
        var me = await browser.GetAsync("/api/me");
        Assert.Equal(expectedStep == "signed-in" ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task the_right_code_opens_the_session_and_a_wrong_one_does_not()
    {
        var account = await api.NewAccountAsync(["reviewer"]);
        var browser = api.CreateBrowser();
        await PostPasswordAsync(browser, account);

        var rightCode = await api.NextCodeAsync(account);
        var wrong = await browser.PostAsJsonAsync("/api/auth/second-factor", new { code = WrongCode(rightCode) });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/me")).StatusCode);

        var right = await browser.PostAsJsonAsync("/api/auth/second-factor", new { code = rightCode });
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal("signed-in", await StepOf(right));
        var me = await browser.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal("reviewer", me.GetProperty("roles")[0].GetString());
    }

    [Fact]
    public async Task a_code_that_signed_in_once_is_refused_the_second_time()
    {
        var account = await api.NewAccountAsync(["admin"]);
        var code = await api.NextCodeAsync(account);
        var first = api.CreateBrowser();
        await PostPasswordAsync(first, account);
        Assert.Equal(HttpStatusCode.OK, (await first.PostAsJsonAsync("/api/auth/second-factor", new { code })).StatusCode);

        var second = api.CreateBrowser();
        await PostPasswordAsync(second, account);
        var replay = await second.PostAsJsonAsync("/api/auth/second-factor", new { code });
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task an_account_that_needs_a_second_factor_enrols_one_before_anything_else()
    {
        var account = await api.NewAccountAsync(["steward"], enrolTotp: false);
        var browser = api.CreateBrowser();
        var signIn = await PostPasswordAsync(browser, account);
        Assert.Equal("enrolment", await StepOf(signIn));

        // Half signed in: nothing but the enrolment is open.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/admin/jobs/heartbeat")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.PostAsJsonAsync("/api/auth/second-factor", new { code = "123456" })).StatusCode);

        var begin = await browser.PostAsync("/api/auth/enrolment", null);
        Assert.Equal(HttpStatusCode.OK, begin.StatusCode);
        Assert.Equal("no-store", begin.Headers.CacheControl?.ToString());
        var enrolment = await begin.Content.ReadFromJsonAsync<JsonElement>();
        var key = enrolment.GetProperty("secret").GetString()!;
        var uri = enrolment.GetProperty("provisioningUri").GetString()!;
        Assert.StartsWith($"otpauth://totp/One%20Health:{account.UserName}?secret={key}&issuer=One%20Health", uri);
        Assert.True(Base32.TryDecode(key, out var secret));
        Assert.Equal(Totp.SecretBytes, secret.Length);
        var enrolled = account with { TotpSecret = secret };

        var rightCode = await api.NextCodeAsync(enrolled);
        var wrong = await browser.PostAsJsonAsync("/api/auth/enrolment/confirm", new { code = WrongCode(rightCode) });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var confirm = await browser.PostAsJsonAsync("/api/auth/enrolment/confirm", new { code = rightCode });
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Equal("signed-in", await StepOf(confirm));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/me")).StatusCode);

        // From now on the account types a code, and cannot enrol again.
        var next = api.CreateBrowser();
        Assert.Equal("code", await StepOf(await PostPasswordAsync(next, enrolled)));
        Assert.Equal(HttpStatusCode.Forbidden, (await next.PostAsync("/api/auth/enrolment", null)).StatusCode);
        await api.SignInAsync(api.CreateBrowser(), enrolled);
    }

    [Fact]
    public async Task restarting_an_enrolment_draws_a_new_key_and_the_old_one_no_longer_confirms()
    {
        var account = await api.NewAccountAsync(["auditor"], enrolTotp: false);
        var browser = api.CreateBrowser();
        await PostPasswordAsync(browser, account);
        var first = (await (await browser.PostAsync("/api/auth/enrolment", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        var second = (await (await browser.PostAsync("/api/auth/enrolment", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        Assert.NotEqual(first, second);
        Base32.TryDecode(first, out var oldSecret);
        var oldCode = Totp.Code(oldSecret, Totp.TimeStepAt(DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsJsonAsync("/api/auth/enrolment/confirm", new { code = oldCode })).StatusCode);
    }

    [Fact]
    public async Task the_api_description_says_the_second_factor_endpoints_open_only_while_signing_in()
    {
        var document = await api.CreateClient().GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        var code = document.GetProperty("paths").GetProperty("/api/auth/second-factor").GetProperty("post").GetProperty("description").GetString();
        Assert.Contains("Roles: none — only while signing in, after a correct password, at the step 'code'.", code);
    }

    [Fact]
    public async Task a_missing_code_is_a_validation_problem_naming_the_field()
    {
        var account = await api.NewAccountAsync(["reviewer"]);
        var browser = api.CreateBrowser();
        await PostPasswordAsync(browser, account);
        var response = await browser.PostAsJsonAsync("/api/auth/second-factor", new { code = "" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Saisissez le code", problem.GetProperty("errors").GetProperty("code")[0].GetString());
    }

    [Fact]
    public async Task tokens_of_an_account_whose_roles_need_a_second_factor_work_only_while_one_is_enrolled()
    {
        var account = await api.NewAccountAsync(["analyst"]);
        var token = await api.Tokens.IssueTokenAsync(account.Id, "notebook", 1, "tests");
        var notebook = api.CreateClient();
        notebook.DefaultRequestHeaders.Authorization = new("Bearer", token.Secret);
        Assert.Equal(HttpStatusCode.OK, (await notebook.GetAsync("/api/me")).StatusCode);

        // Promoted to admin without a second factor: the old token would open admin routes; it stops.
        await api.Accounts.SetRolesAsync(account.UserName, ["analyst", "admin"], "tests");
        Assert.Equal(HttpStatusCode.Unauthorized, (await notebook.GetAsync("/api/me")).StatusCode);
        var refused = await Assert.ThrowsAsync<Analytics.Jobs.Accounts.AccountException>(() =>
            api.Tokens.IssueTokenAsync(account.Id, "another", 1, "tests"));
        Assert.Contains("only once their second factor (TOTP) is enrolled", refused.Message);

        var enrolment = await api.SecondFactors.BeginTotpEnrolmentAsync(account.Id);
        Base32.TryDecode(enrolment.Secret, out var secret);
        await api.SecondFactors.ConfirmTotpEnrolmentAsync(account.Id, await api.NextCodeAsync(account with { TotpSecret = secret }));
        Assert.Equal(HttpStatusCode.OK, (await notebook.GetAsync("/api/admin/accounts")).StatusCode);
    }

    [Fact]
    public async Task resetting_the_second_factor_ends_the_session_and_the_next_sign_in_enrols_again()
    {
        var account = await api.NewAccountAsync(["reviewer"]);
        var browser = api.CreateBrowser();
        await api.SignInAsync(browser, account);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/me")).StatusCode);

        await api.SecondFactors.ResetTotpAsync(account.UserName, "tests");
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/me")).StatusCode);
        Assert.Equal("enrolment", await StepOf(await PostPasswordAsync(api.CreateBrowser(), account)));
    }
}
