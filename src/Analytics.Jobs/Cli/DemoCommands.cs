using System.CommandLine;
using System.Security.Cryptography;
using Analytics.Jobs.Accounts;
using Analytics.Models.Access;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Jobs.Cli;

/// <summary><c>demo accounts</c>: the demo mode's one account per role. Never used outside the demo run.</summary>
internal static class DemoCommands
{
    public static Command Create()
    {
        var file = new Option<FileInfo>("--passwords-file")
        {
            Description = "Where the demo passwords are kept (created with random passwords when missing).",
            Required = true,
        };
        var accounts = new Command("accounts", "Create one demo account per role (demo-analyst, demo-planner, …) if missing, and print how to sign in.") { file };
        accounts.SetAction((parse, ct) => CliHost.RunAsync(async (services, token) =>
        {
            var store = services.GetRequiredService<AccountStore>();
            var passwords = ReadOrCreatePasswords(parse.GetValue(file)!);
            Console.WriteLine("Demo accounts (user name / password):");
            foreach (var role in Role.All)
            {
                var name = $"demo-{role}";
                if (await store.FindAsync(name, token) is null)
                    await store.CreateAsync(name, $"Démo {role}", passwords[role], [role], token);
                else
                    await store.SetPasswordAsync(name, passwords[role], token);
                Console.WriteLine($"  {name,-16} {passwords[role]}");
            }
            return 0;
        }, ct));
        return new Command("demo", "Demo mode helpers.") { accounts };
    }

    private static Dictionary<string, string> ReadOrCreatePasswords(FileInfo file)
    {
        var passwords = file.Exists
            ? File.ReadAllLines(file.FullName).Select(l => l.Split(' ', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1])
            : [];
        foreach (var role in Role.All.Where(r => !passwords.ContainsKey(r)))
            passwords[role] = "demo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        file.Directory?.Create();
        File.WriteAllLines(file.FullName, Role.All.Select(r => $"{r} {passwords[r]}"));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(file.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return passwords;
    }
}
