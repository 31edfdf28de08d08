using System.CommandLine;
using System.Security.Cryptography;
using Analytics.Jobs.Accounts;
using Analytics.Jobs.Demo;
using Analytics.Models.Access;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Jobs.Cli;

/// <summary>
/// <c>demo accounts</c>: the demo mode's one account per role. Never used outside the demo run.
/// <c>demo generate</c>: writes the synthetic demo world (territories, exposures, health counts and their truth).
/// </summary>
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
        return new Command("demo", "Demo mode helpers.") { accounts, CreateGenerate() };
    }

    private static Command CreateGenerate()
    {
        var seed = new Option<ulong>("--seed") { Description = "Random seed: the same seed and scale give byte-identical files.", DefaultValueFactory = _ => 42 };
        var scale = new Option<string>("--scale") { Description = "region (≈1,200 communes, committed under data/demo) or national (≈35,000 communes).", DefaultValueFactory = _ => "region" };
        scale.AcceptOnlyFromAmong("region", "national");
        var output = new Option<DirectoryInfo>("--out") { Description = "Directory to write the files into (created if missing; files are overwritten).", Required = true };
        var generate = new Command("generate", "Write the synthetic demo world: territories, population, environment, One Health layers, health counts and TRUTH.md.") { seed, scale, output };
        generate.SetAction(parse =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var directory = parse.GetValue(output)!.FullName;
            var files = DemoWorldGenerator.GenerateTo(parse.GetValue(seed), DemoScale.Parse(parse.GetValue(scale)!), directory);
            foreach (var file in files)
                Console.WriteLine($"  {new FileInfo(Path.Combine(directory, file)).Length,12:N0}  {file}");
            Console.WriteLine($"Demo world written to {directory} in {clock.Elapsed.TotalSeconds:F1} s.");
            return 0;
        });
        return generate;
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
