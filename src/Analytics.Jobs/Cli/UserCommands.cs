using System.CommandLine;
using Analytics.Jobs.Accounts;
using Analytics.Models.Access;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Jobs.Cli;

/// <summary><c>user add|roles|password|token|list</c>: account administration from a shell.</summary>
internal static class UserCommands
{
    public static Command Create()
    {
        var rolesHelp = $"Comma-separated roles among: {string.Join(", ", Role.All)}.";

        var addName = new Argument<string>("user-name") { Description = "Lower-case sign-in name." };
        var addRoles = new Option<string>("--roles") { Description = rolesHelp, Required = true };
        var addDisplay = new Option<string?>("--display-name") { Description = "Name shown in screens and the audit log." };
        var add = new Command("add", "Create a local account. The password is read from standard input (one line).") { addName, addRoles, addDisplay };
        add.SetAction((parse, ct) => CliHost.RunAsync(async (services, token) =>
        {
            var password = ReadPassword();
            var account = await services.GetRequiredService<AccountStore>().CreateAsync(
                parse.GetValue(addName)!, parse.GetValue(addDisplay) ?? "", password, SplitRoles(parse.GetValue(addRoles)), token);
            Console.WriteLine($"created {account.UserName} with roles [{string.Join(", ", account.Roles)}]");
            return 0;
        }, ct));

        var rolesName = new Argument<string>("user-name");
        var rolesValue = new Argument<string>("roles") { Description = rolesHelp };
        var roles = new Command("roles", "Replace an account's roles.") { rolesName, rolesValue };
        roles.SetAction((parse, ct) => CliHost.RunAsync(async (services, token) =>
        {
            var account = await services.GetRequiredService<AccountStore>().SetRolesAsync(parse.GetValue(rolesName)!, SplitRoles(parse.GetValue(rolesValue)), token);
            Console.WriteLine($"{account.UserName} now has roles [{string.Join(", ", account.Roles)}]");
            return 0;
        }, ct));

        var passwordName = new Argument<string>("user-name");
        var password = new Command("password", "Set an account's password, read from standard input (one line).") { passwordName };
        password.SetAction((parse, ct) => CliHost.RunAsync(async (services, token) =>
        {
            await services.GetRequiredService<AccountStore>().SetPasswordAsync(parse.GetValue(passwordName)!, ReadPassword(), token);
            Console.WriteLine("password changed");
            return 0;
        }, ct));

        var tokenUser = new Argument<string>("user-name");
        var tokenName = new Option<string>("--name") { Description = "What the token is for.", Required = true };
        var tokenDays = new Option<int>("--days") { Description = "Days until it expires (1–365).", DefaultValueFactory = _ => 90 };
        var issue = new Command("token", "Issue a personal API token. The secret is printed once and never stored.") { tokenUser, tokenName, tokenDays };
        issue.SetAction((parse, ct) => CliHost.RunAsync(async (services, token) =>
        {
            var store = services.GetRequiredService<AccountStore>();
            var account = await store.FindAsync(parse.GetValue(tokenUser)!, token)
                ?? throw new AccountException("user-name", $"No account is named '{parse.GetValue(tokenUser)}'.");
            var issued = await store.IssueTokenAsync(account.Id, parse.GetValue(tokenName)!, TimeSpan.FromDays(parse.GetValue(tokenDays)), token);
            Console.Error.WriteLine($"token '{issued.Info.Name}' for {account.UserName}, expires {issued.Info.ExpiresAt:yyyy-MM-dd}; copy it now, it is not shown again:");
            Console.WriteLine(issued.Secret);
            return 0;
        }, ct));

        var list = new Command("list", "List accounts and their roles.");
        list.SetAction((_, ct) => CliHost.RunAsync(async (services, token) =>
        {
            foreach (var account in await services.GetRequiredService<AccountStore>().ListAsync(token))
                Console.WriteLine($"{account.UserName,-24} {(account.IsDisabled ? "disabled" : "active"),-9} {string.Join(",", account.Roles)}");
            return 0;
        }, ct));

        return new Command("user", "Local accounts, roles and API tokens.") { add, roles, password, issue, list };
    }

    private static IEnumerable<string> SplitRoles(string? roles) =>
        (roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string ReadPassword()
    {
        if (!Console.IsInputRedirected)
            Console.Error.Write("password: ");
        return Console.In.ReadLine() ?? "";
    }
}
