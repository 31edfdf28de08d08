using System.CommandLine;
using Analytics.Jobs.Accounts;
using Analytics.Models.Access;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Jobs.Cli;

/// <summary>
/// <c>user add|roles|password|token|disable|enable|totp reset|list</c>: account administration from a
/// shell. Every change is recorded in the audit log with the person acting: <c>--as NAME</c>, by
/// default <c>cli:</c> and the operating-system user.
/// </summary>
internal static class UserCommands
{
    /// <summary>Who acts when <c>--as</c> is not given: the operating-system user running the command.</summary>
    public static string DefaultActor => $"cli:{Environment.UserName}";

    private static Option<string> ActorOption() =>
        new("--as") { Description = "Who makes the change, as the audit log records it (default: cli:<operating-system user>).", DefaultValueFactory = _ => DefaultActor };

    public static Command Create()
    {
        var rolesHelp = $"Comma-separated roles among: {string.Join(", ", Role.All)}.";

        var addName = new Argument<string>("user-name") { Description = "Lower-case sign-in name." };
        var addRoles = new Option<string>("--roles") { Description = rolesHelp, Required = true };
        var addDisplay = new Option<string?>("--display-name") { Description = "Name shown in screens and the audit log." };
        var addActor = ActorOption();
        var add = new Command("add", "Create a local account. The password is read from standard input (one line).") { addName, addRoles, addDisplay, addActor };
        add.SetAction((parse, ct) => CliHost.RunAsync(async (services, token) =>
        {
            var password = ReadPassword();
            var account = await services.GetRequiredService<AccountStore>().CreateAsync(
                parse.GetValue(addName)!, parse.GetValue(addDisplay) ?? "", password, SplitRoles(parse.GetValue(addRoles)), parse.GetValue(addActor)!, token);
            Console.WriteLine($"created {account.UserName} with roles [{string.Join(", ", account.Roles)}]");
            return 0;
        }, ct));

        var rolesName = new Argument<string>("user-name");
        var rolesValue = new Argument<string>("roles") { Description = rolesHelp };
        var rolesActor = ActorOption();
        var roles = new Command("roles", "Replace an account's roles; when they change, its sessions end.") { rolesName, rolesValue, rolesActor };
        roles.SetAction((parse, ct) => CliHost.RunAsync(async (services, token) =>
        {
            var account = await services.GetRequiredService<AccountStore>().SetRolesAsync(parse.GetValue(rolesName)!, SplitRoles(parse.GetValue(rolesValue)), parse.GetValue(rolesActor)!, token);
            Console.WriteLine($"{account.UserName} now has roles [{string.Join(", ", account.Roles)}]");
            return 0;
        }, ct));

        var passwordName = new Argument<string>("user-name");
        var passwordActor = ActorOption();
        var password = new Command("password", "Set an account's password, read from standard input (one line): its sessions end and its API tokens are revoked.") { passwordName, passwordActor };
        password.SetAction((parse, ct) => CliHost.RunAsync(async (services, token) =>
        {
            await services.GetRequiredService<AccountStore>().SetPasswordAsync(parse.GetValue(passwordName)!, ReadPassword(), parse.GetValue(passwordActor)!, token);
            Console.WriteLine("password changed");
            return 0;
        }, ct));

        var tokenUser = new Argument<string>("user-name");
        var tokenName = new Option<string>("--name") { Description = "What the token is for.", Required = true };
        var tokenDays = new Option<int>("--days") { Description = "Days until it expires (1–365).", DefaultValueFactory = _ => 90 };
        var tokenActor = ActorOption();
        var issue = new Command("token", "Issue a personal API token. The secret is printed once and never stored.") { tokenUser, tokenName, tokenDays, tokenActor };
        issue.SetAction((parse, ct) => CliHost.RunAsync(async (services, token) =>
        {
            var store = services.GetRequiredService<AccountStore>();
            var account = await store.FindAsync(parse.GetValue(tokenUser)!, token)
                ?? throw new AccountException("user-name", $"No account is named '{parse.GetValue(tokenUser)}'.");
            var issued = await services.GetRequiredService<ApiTokens>().IssueTokenAsync(account.Id, parse.GetValue(tokenName)!, parse.GetValue(tokenDays), parse.GetValue(tokenActor)!, token);
            Console.Error.WriteLine($"token '{issued.Info.Name}' for {account.UserName}, expires {issued.Info.ExpiresAt:yyyy-MM-dd}; copy it now, it is not shown again:");
            Console.WriteLine(issued.Secret);
            return 0;
        }, ct));

        var disableName = new Argument<string>("user-name");
        var disableActor = ActorOption();
        var disable = new Command("disable", "Disable an account: its open sessions end and all its API tokens are revoked, at once.") { disableName, disableActor };
        disable.SetAction((parse, ct) => CliHost.RunAsync(async (services, token) =>
        {
            var revoked = await services.GetRequiredService<AccountStore>().DisableAsync(parse.GetValue(disableName)!, parse.GetValue(disableActor)!, token);
            Console.WriteLine($"disabled {parse.GetValue(disableName)}: sessions ended, {revoked} API token(s) revoked");
            return 0;
        }, ct));

        var enableName = new Argument<string>("user-name");
        var enableActor = ActorOption();
        var enable = new Command("enable", "Enable a disabled account and lift a lockout. Revoked tokens stay revoked.") { enableName, enableActor };
        enable.SetAction((parse, ct) => CliHost.RunAsync(async (services, token) =>
        {
            await services.GetRequiredService<AccountStore>().EnableAsync(parse.GetValue(enableName)!, parse.GetValue(enableActor)!, token);
            Console.WriteLine($"enabled {parse.GetValue(enableName)}");
            return 0;
        }, ct));

        var list = new Command("list", "List accounts, their roles and second factor (totp: enrolled; enrol: needed at next sign-in).");
        list.SetAction((_, ct) => CliHost.RunAsync(async (services, token) =>
        {
            foreach (var account in await services.GetRequiredService<AccountStore>().ListAsync(token))
                Console.WriteLine($"{account.UserName,-24} {(account.IsDisabled ? "disabled" : "active"),-9} {SecondFactorLabel(account),-6} {string.Join(",", account.Roles)}");
            return 0;
        }, ct));

        return new Command("user", "Local accounts, roles, second factors and API tokens.") { add, roles, password, issue, disable, enable, CreateTotp(), list };
    }

    private static Command CreateTotp()
    {
        var resetName = new Argument<string>("user-name");
        var resetActor = ActorOption();
        var reset = new Command("reset", "Remove an account's second factor (lost phone): its sessions end; it enrols a new one at its next sign-in.") { resetName, resetActor };
        reset.SetAction((parse, ct) => CliHost.RunAsync(async (services, token) =>
        {
            await services.GetRequiredService<SecondFactors>().ResetTotpAsync(parse.GetValue(resetName)!, parse.GetValue(resetActor)!, token);
            Console.WriteLine($"second factor of {parse.GetValue(resetName)} removed; a new one is enrolled at the next sign-in to the web app");
            return 0;
        }, ct));
        return new Command("totp", "Second factor (TOTP) recovery. Enrolment itself happens at sign-in, in the web app.") { reset };
    }

    private static string SecondFactorLabel(Account account) => account.SecondFactor switch
    {
        SecondFactorStep.Code => "totp",
        SecondFactorStep.Enrolment => "enrol",
        _ => "-",
    };

    private static IEnumerable<string> SplitRoles(string? roles) =>
        (roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string ReadPassword()
    {
        if (!Console.IsInputRedirected)
            Console.Error.Write("password: ");
        return Console.In.ReadLine() ?? "";
    }
}
