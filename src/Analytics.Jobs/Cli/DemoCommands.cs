using System.CommandLine;
using System.Security.Cryptography;
using Analytics.Jobs.Accounts;
using Analytics.Jobs.Demo;
using Analytics.Models.Access;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Jobs.Cli;

/// <summary>
/// <c>demo accounts</c>: the demo mode's one account per role, with a second factor already enrolled
/// for the roles that need one. <c>demo code</c>: the current TOTP codes of those accounts, for a demo
/// without an authenticator app. Never used outside the demo run.
/// <c>demo generate</c>: writes the synthetic demo world (territories, exposures, health counts and their truth).
/// </summary>
internal static class DemoCommands
{
    public static Command Create() => new("demo", "Demo mode helpers.") { CreateAccounts(), CreateCode(), CreateGenerate() };

    private static Option<FileInfo> AccountsFileOption() => new("--passwords-file")
    {
        Description = "Where the demo passwords and TOTP keys are kept (created with random ones when missing).",
        Required = true,
    };

    private static Command CreateAccounts()
    {
        var file = AccountsFileOption();
        var accounts = new Command("accounts",
            "Create one demo account per role (demo-analyst, demo-planner, …) if missing, enrol a TOTP second factor for reviewer, auditor, steward and admin, and print how to sign in.") { file };
        accounts.SetAction((parse, ct) => CliHost.RunAsync(async (services, token) =>
        {
            var store = services.GetRequiredService<AccountStore>();
            var secondFactors = services.GetRequiredService<SecondFactors>();
            var clock = services.GetRequiredService<TimeProvider>();
            var demo = ReadOrCreateAccountsFile(parse.GetValue(file)!);
            foreach (var role in Role.All)
            {
                var name = $"demo-{role}";
                var account = await store.FindAsync(name, token);
                if (account is null)
                    account = await store.CreateAsync(name, $"Démo {role}", demo[role].Password, [role], UserCommands.DefaultActor, token);
                else
                    await store.SetPasswordAsync(name, demo[role].Password, UserCommands.DefaultActor, token);
                if (!Role.RequireSecondFactor([role]) || (account.HasTotp && demo[role].TotpSecret is not null))
                    continue;
                if (account.HasTotp)
                    await secondFactors.ResetTotpAsync(name, UserCommands.DefaultActor, token); // the file lost its key: enrol a new one
                demo[role] = demo[role] with { TotpSecret = await EnrolAsync(secondFactors, account.Id, clock, token) };
            }
            WriteAccountsFile(parse.GetValue(file)!, demo);

            Console.WriteLine("Demo accounts (user name / password / TOTP key for an authenticator app):");
            foreach (var role in Role.All)
                Console.WriteLine($"  {"demo-" + role,-16} {demo[role].Password}  {demo[role].TotpSecret}".TrimEnd());
            Console.WriteLine("  Reviewer, auditor, steward and admin sign in with a TOTP code: add the key to an authenticator app");
            Console.WriteLine("  (the otpauth:// URIs are in the passwords file), or print the current codes with 'analytics-jobs demo code'.");
            return 0;
        }, ct));
        return accounts;
    }

    private static Command CreateCode()
    {
        var file = AccountsFileOption();
        var code = new Command("code", "Print the current TOTP code of each demo account that has one (read from the passwords file).") { file };
        code.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                Console.Error.WriteLine($"error: {path.FullName} does not exist: run 'analytics-jobs demo accounts' first");
                return 66; // EX_NOINPUT
            }
            var step = Totp.TimeStepAt(DateTimeOffset.UtcNow);
            foreach (var (role, account) in ReadAccountsFile(path).Where(a => a.Value.TotpSecret is not null))
            {
                Base32.TryDecode(account.TotpSecret!, out var secret);
                Console.WriteLine($"  {"demo-" + role,-16} {Totp.Code(secret, step)}");
            }
            Console.WriteLine($"  (valid for about {Totp.StepSeconds * (step + 1) - DateTimeOffset.UtcNow.ToUnixTimeSeconds()} s more, and the next 30 s; each code signs in once)");
            return 0;
        });
        return code;
    }

    /// <summary>
    /// Enrols a second factor the way a person would, computing the confirmation code from the new
    /// key. The code of the previous step (accepted within tolerance) leaves the current code unused,
    /// so the demo can sign in straight away.
    /// </summary>
    private static async Task<string> EnrolAsync(SecondFactors store, long accountId, TimeProvider clock, CancellationToken token)
    {
        var enrolment = await store.BeginTotpEnrolmentAsync(accountId, token);
        Base32.TryDecode(enrolment.Secret, out var secret);
        var confirmed = await store.ConfirmTotpEnrolmentAsync(accountId, Totp.Code(secret, Totp.TimeStepAt(clock.GetUtcNow()) - 1), token);
        if (confirmed is null)
            throw new AccountException("totp", $"the demo account {accountId} could not confirm its new second factor");
        return enrolment.Secret;
    }

    private static Command CreateGenerate()
    {
        var seed = new Option<ulong>("--seed") { Description = "Random seed: the same seed and scale give byte-identical files.", DefaultValueFactory = _ => 42 };
        var scale = new Option<string>("--scale") { Description = "region (≈1,200 communes, committed under data/demo) or national (≈35,000 communes).", DefaultValueFactory = _ => "region" };
        scale.AcceptOnlyFromAmong("region", "national");
        var fraction = new Option<double>("--fraction")
        {
            Description = "Build this share of the scale's mainland, e.g. 0.25 or 0.5 of national for a scaling table: area, communes, towns, population, EPCI, départements and régions scaled together.",
            DefaultValueFactory = _ => 1,
        };
        fraction.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is not (> 0 and <= 1))
                result.AddError("--fraction lies in (0, 1]: 0.25 builds a quarter of the scale's mainland");
        });
        var output = new Option<DirectoryInfo>("--out") { Description = "Directory to write the files into (created if missing; files are overwritten).", Required = true };
        var catalog = new Option<FileInfo>("--catalog")
        {
            Description = "The indicator catalogue the world's load manifest (load.json) loads first.",
            DefaultValueFactory = _ => new FileInfo(Path.Combine("data", "catalog", "indicators.csv")),
        };
        var generate = new Command("generate", "Write the synthetic demo world: territories, population, environment, One Health layers, health counts, TRUTH.md, and load.json to load it all with `ingest manifest`.")
            { seed, scale, fraction, output, catalog };
        generate.SetAction(parse =>
        {
            var catalogue = parse.GetValue(catalog)!;
            if (!catalogue.Exists)
            {
                Console.Error.WriteLine($"demo generate: no indicator catalogue at {catalogue.FullName} (run from the repository's root, or give --catalog): load.json must load it first.");
                return 2;
            }
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var directory = parse.GetValue(output)!.FullName;
            var files = DemoWorldGenerator.GenerateTo(parse.GetValue(seed), DemoScale.Parse(parse.GetValue(scale)!).Fraction(parse.GetValue(fraction)), directory);
            File.WriteAllText(Path.Combine(directory, DemoManifest.FileName), DemoManifest.Text(directory, parse.GetValue(seed), catalogue.FullName));
            foreach (var file in files.Append(DemoManifest.FileName))
                Console.WriteLine($"  {new FileInfo(Path.Combine(directory, file)).Length,12:N0}  {file}");
            Console.WriteLine($"Demo world written to {directory} in {clock.Elapsed.TotalSeconds:F1} s; load it with: analytics-jobs ingest manifest {Path.Combine(directory, DemoManifest.FileName)}");
            return 0;
        });
        return generate;
    }

    private sealed record DemoAccount(string Password, string? TotpSecret);

    /// <summary>Lines "role password [totp-key otpauth-uri]"; roles missing from the file get a random password.</summary>
    private static Dictionary<string, DemoAccount> ReadOrCreateAccountsFile(FileInfo file)
    {
        var accounts = file.Exists ? ReadAccountsFile(file) : [];
        foreach (var role in Role.All.Where(r => !accounts.ContainsKey(r)))
            accounts[role] = new DemoAccount("demo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)), null);
        return accounts;
    }

    private static Dictionary<string, DemoAccount> ReadAccountsFile(FileInfo file) =>
        File.ReadAllLines(file.FullName)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 2 && Role.IsKnown(fields[0]))
            .ToDictionary(fields => fields[0], fields => new DemoAccount(fields[1], fields.Length >= 3 ? fields[2] : null));

    private static void WriteAccountsFile(FileInfo file, Dictionary<string, DemoAccount> accounts)
    {
        file.Directory?.Create();
        File.WriteAllLines(file.FullName, Role.All.Select(role => accounts[role] switch
        {
            { TotpSecret: { } key } account when Base32.TryDecode(key, out var secret) =>
                $"{role} {account.Password} {key} {Totp.ProvisioningUri(secret, "demo-" + role)}",
            var account => $"{role} {account.Password}",
        }));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(file.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
