using System.Diagnostics;
using Analytics.Jobs.Accounts;
using Analytics.Jobs.AuditTrail;
using Analytics.Jobs.Database;
using Analytics.Jobs.Scheduling;
using Analytics.Models.Access;
using Analytics.Testing;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Analytics.Jobs.Tests.Cli;

/// <summary>The command-line tool run as a real process, the way stewards and scripts run it.</summary>
public class CommandLineTests(PostgisDatabase db) : IClassFixture<PostgisDatabase>, IDisposable
{
    private readonly string keyFile = Path.Combine(Path.GetTempPath(), $"analytics-test-{Guid.NewGuid():N}.key");

    public void Dispose() => File.Delete(keyFile);

    private AccountRecords Records => new(db.DataSource, TimeProvider.System, Options.Create(new AccountOptions { SecretKeyFile = keyFile }), NullLogger<AccountRecords>.Instance, new AuditLog(db.DataSource, TimeProvider.System, Options.Create(new AuditOptions())));

    private AccountStore Store => new(Records);

    private SecondFactors SecondFactors => new(Records);

    private ApiTokens Tokens => new(Records, Store);

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(string? stdin, Dictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "analytics-jobs.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment.Remove("Database__OwnerConnectionString"); // as deployed, commands connect as the application's role only; an owner inherited from the shell would point elsewhere
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        if (stdin is not null)
            await process.StandardInput.WriteLineAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private Dictionary<string, string?> Database => new() { ["Database__ConnectionString"] = db.ConnectionString, ["Accounts__SecretKeyFile"] = keyFile };

    [Fact]
    public async Task a_generated_world_is_loaded_whole_by_the_manifest_written_beside_it()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"analytics-world-{Guid.NewGuid():N}");
        try
        {
            var world = Path.Combine(folder, "world");
            var (refused, _, why) = await RunAsync(null, [], "demo", "generate", "--seed", "7", "--out", world, "--catalog", Path.Combine(folder, "none.csv"));
            Assert.Equal(2, refused);
            Assert.Contains("no indicator catalogue", why);
            Assert.False(Directory.Exists(world), "nothing is written without a catalogue to load");

            var (generated, output, _) = await RunAsync(null, [], "demo", "generate", "--seed", "7", "--out", world, "--catalog", RepositoryFiles.PathOf("data/catalog/indicators.csv"));
            Assert.Equal(0, generated);
            Assert.Contains("ingest manifest", output);
            var manifest = Path.Combine(world, "load.json");
            Assert.Contains("(seed 7)", await File.ReadAllTextAsync(manifest));

            var (loaded, log, error) = await RunAsync(null, Database, "ingest", "manifest", manifest);
            Assert.True(loaded == 0, log + error);
            Assert.Equal(1233L, await db.ScalarAsync<long>("SELECT count(*) FROM geo.territory WHERE level = 'commune'"));
            Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM catalog.indicator") > 10, "the catalogue is loaded first");
            Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM facts.health_count") > 100_000, "the health counts are loaded last");
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void the_committed_manifest_is_the_one_the_generator_writes_for_data_demo()
    {
        Assert.Equal(File.ReadAllText(RepositoryFiles.PathOf("data/demo/load.json")),
            Analytics.Jobs.Demo.DemoManifest.Text(RepositoryFiles.PathOf("data/demo"), 42, RepositoryFiles.PathOf("data/catalog/indicators.csv")));
    }

    [Fact]
    public async Task help_lists_the_command_groups()
    {
        var (exit, output, _) = await RunAsync(null, [], "--help");
        Assert.Equal(0, exit);
        foreach (var command in new[] { "db", "user", "worker", "demo" })
            Assert.Contains(command, output);
    }

    [Fact]
    public async Task db_status_reports_postgis_and_the_migration_level()
    {
        var (exit, output, error) = await RunAsync(null, Database, "db", "status");
        Assert.True(exit == 0, error);
        Assert.Contains("PostGIS:          3.", output);
        Assert.Contains($"migration level:  {Analytics.Jobs.Database.DatabaseMigrator.Known[^1].Version} of", output);
    }

    [Fact]
    public async Task a_load_whose_file_name_or_source_holds_a_direct_identifier_is_refused_without_repeating_it_and_leaves_no_trace()
    {
        var folder = Directory.CreateTempSubdirectory("analytics-cli-");
        try
        {
            var named = Path.Combine(folder.FullName, "dupont 185057800608491.csv");
            File.Copy(RepositoryFiles.PathOf("data/catalog/indicators.csv"), named);
            var plain = Path.Combine(folder.FullName, "indicators.csv");
            File.Copy(RepositoryFiles.PathOf("data/catalog/indicators.csv"), plain);
            const string traces = "SELECT (SELECT count(*) FROM ingest.progress) + (SELECT count(*) FROM ingest.batch) + (SELECT count(*) FROM audit.event e WHERE strpos(e::text, '185057800608491') > 0 OR strpos(e::text, 'jean.dupont') > 0)";
            var before = await db.ScalarAsync<long>(traces);

            var byName = await RunAsync(null, Database, "ingest", "catalog", named);
            var bySource = await RunAsync(null, Database, "ingest", "catalog", plain, "--source", "contact jean.dupont@example.fr");

            Assert.Equal(65, byName.ExitCode);
            Assert.Contains("file name", byName.Error);
            Assert.Contains("a NIR (social-security number), a direct identifier", byName.Error);
            Assert.Equal(65, bySource.ExitCode);
            Assert.Contains("'source'", bySource.Error);
            Assert.Contains("an e-mail address, a direct identifier", bySource.Error);
            foreach (var run in new[] { byName, bySource })
            {
                Assert.DoesNotContain("185057800608491", run.Output + run.Error);
                Assert.DoesNotContain("jean.dupont", run.Output + run.Error);
            }
            Assert.Equal(before, await db.ScalarAsync<long>(traces));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task a_user_added_from_the_command_line_gets_a_working_token()
    {
        var (added, _, addError) = await RunAsync("a long enough password", Database, "user", "add", "cli-analyst", "--roles", "analyst,planner");
        Assert.True(added == 0, addError);
        var (issued, secret, issueError) = await RunAsync(null, Database, "user", "token", "cli-analyst", "--name", "script", "--days", "7");
        Assert.True(issued == 0, issueError);
        var account = await Tokens.AuthenticateTokenAsync(secret.Trim());
        Assert.Equal(["analyst", "planner"], account?.Roles);
    }

    [Fact]
    public async Task a_steward_without_a_second_factor_gets_no_token()
    {
        await RunAsync("a long enough password", Database, "user", "add", "cli-steward", "--roles", "steward");
        var (exit, output, error) = await RunAsync(null, Database, "user", "token", "cli-steward", "--name", "script");
        Assert.Equal(65, exit);
        Assert.Contains("only once their second factor (TOTP) is enrolled", error);
        Assert.Empty(output.Trim());
    }

    [Fact]
    public async Task disabling_from_the_command_line_revokes_the_tokens_and_enabling_lets_the_password_in_again()
    {
        var account = await Store.CreateAsync("cli-leaver", "", "a long enough password", ["analyst"], "tests");
        var token = await Tokens.IssueTokenAsync(account.Id, "script", 7, "tests");
        var (exit, output, error) = await RunAsync(null, Database, "user", "disable", "cli-leaver");
        Assert.True(exit == 0, error);
        Assert.Contains("1 API token(s) revoked", output);
        Assert.Null(await Tokens.AuthenticateTokenAsync(token.Secret));
        Assert.Null(await Store.VerifyPasswordAsync("cli-leaver", "a long enough password"));
        Assert.Contains("disabled", (await RunAsync(null, Database, "user", "list")).Output);

        Assert.Equal(0, (await RunAsync(null, Database, "user", "enable", "cli-leaver")).ExitCode);
        Assert.NotNull(await Store.VerifyPasswordAsync("cli-leaver", "a long enough password"));
    }

    [Fact]
    public async Task account_changes_from_the_command_line_are_logged_with_the_person_given_by_as_or_the_os_user()
    {
        var (added, _, addError) = await RunAsync("a long enough password", Database, "user", "add", "cli-audited", "--roles", "analyst", "--as", "jdupont");
        Assert.True(added == 0, addError);
        var (changed, _, rolesError) = await RunAsync(null, Database, "user", "roles", "cli-audited", "analyst,planner", "--as", "mmartin");
        Assert.True(changed == 0, rolesError);
        var (issued, _, issueError) = await RunAsync(null, Database, "user", "token", "cli-audited", "--name", "script", "--days", "7");
        Assert.True(issued == 0, issueError);

        var actors = new List<string>();
        await using (var command = db.DataSource.CreateCommand("SELECT actor || ' ' || kind FROM audit.event WHERE subject = 'account:cli-audited' ORDER BY seq"))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                actors.Add(reader.GetString(0));
        Assert.Equal(["jdupont account.change", "mmartin account.change", $"cli:{Environment.UserName} auth.token_issue"], actors);
    }

    [Fact]
    public async Task a_second_factor_reset_from_the_command_line_sends_the_person_back_to_enrolment()
    {
        var account = await Store.CreateAsync("cli-lost-phone", "", "a long enough password", ["reviewer"], "tests");
        var enrolment = await SecondFactors.BeginTotpEnrolmentAsync(account.Id);
        Base32.TryDecode(enrolment.Secret, out var secret);
        Assert.NotNull(await SecondFactors.ConfirmTotpEnrolmentAsync(account.Id, Totp.Code(secret, Totp.TimeStepAt(DateTimeOffset.UtcNow))));
        Assert.Contains("cli-lost-phone           active    totp", (await RunAsync(null, Database, "user", "list")).Output);

        var (exit, _, error) = await RunAsync(null, Database, "user", "totp", "reset", "cli-lost-phone");
        Assert.True(exit == 0, error);
        Assert.Equal(SecondFactorStep.Enrolment, (await Store.FindAsync("cli-lost-phone"))!.SecondFactor);
        Assert.Contains("cli-lost-phone           active    enrol", (await RunAsync(null, Database, "user", "list")).Output);
    }

    [Fact]
    public async Task demo_accounts_have_a_working_second_factor_whose_key_is_kept_in_the_passwords_file()
    {
        var file = Path.Combine(Path.GetTempPath(), $"demo-accounts-{Guid.NewGuid():N}.txt");
        try
        {
            var (exit, output, error) = await RunAsync(null, Database, "demo", "accounts", "--passwords-file", file);
            Assert.True(exit == 0, error);
            var lines = File.ReadAllLines(file).Select(l => l.Split(' ')).ToDictionary(f => f[0]);
            Assert.Equal(2, lines["analyst"].Length);
            Assert.Equal(2, lines["planner"].Length);
            foreach (var role in new[] { "reviewer", "auditor", "steward", "admin" })
            {
                var (password, key, uri) = (lines[role][1], lines[role][2], lines[role][3]);
                Assert.Contains(key, output);
                Assert.Equal($"otpauth://totp/One%20Health:demo-{role}?secret={key}&issuer=One%20Health&algorithm=SHA1&digits=6&period=30", uri);
                var account = await Store.VerifyPasswordAsync($"demo-{role}", password);
                Assert.Equal(SecondFactorStep.Code, account?.SecondFactor);
                // The demo enrols with the previous step's code, so the current one signs in straight away.
                Assert.True(Base32.TryDecode(key, out var secret));
                Assert.NotNull(await SecondFactors.VerifyTotpAsync(account!.Id, Totp.Code(secret, Totp.TimeStepAt(DateTimeOffset.UtcNow))));
            }

            // A second run keeps passwords and keys.
            Assert.Equal(0, (await RunAsync(null, Database, "demo", "accounts", "--passwords-file", file)).ExitCode);
            Assert.Equal(lines.Values.Select(l => string.Join(' ', l)), File.ReadAllLines(file));

            var (codeExit, codes, codeError) = await RunAsync(null, [], "demo", "code", "--passwords-file", file);
            Assert.True(codeExit == 0, codeError);
            Base32.TryDecode(lines["admin"][2], out var adminSecret);
            var step = Totp.TimeStepAt(DateTimeOffset.UtcNow);
            Assert.Matches($"demo-admin +({Totp.Code(adminSecret, step)}|{Totp.Code(adminSecret, step - 1)})", codes);
            Assert.DoesNotContain("demo-analyst", codes);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task a_missing_connection_string_is_a_configuration_error_that_says_what_to_set()
    {
        var (exit, _, error) = await RunAsync(null, new() { ["Database__ConnectionString"] = "" }, "db", "status");
        Assert.Equal(78, exit);
        Assert.Contains("Database__ConnectionString", error);
    }

    [Fact]
    public async Task an_unknown_role_is_refused_with_the_list_of_roles()
    {
        var (exit, _, error) = await RunAsync("a long enough password", Database, "user", "add", "cli-bad", "--roles", "superuser");
        Assert.Equal(65, exit);
        Assert.Contains("'superuser' is not a role", error);
        Assert.Contains("analyst, planner, reviewer, auditor, steward, admin", error);
    }

    [Fact]
    public async Task a_standalone_worker_runs_a_job_enqueued_by_another_process()
    {
        var storage = new PostgreSqlStorage(
            new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(db.ConnectionString, new PostgreSqlStorageOptions()),
            new PostgreSqlStorageOptions { SchemaName = DatabaseMigrator.HangfireSchema, PrepareSchemaIfNecessary = false });
        new BackgroundJobClient(storage).Enqueue<HeartbeatJob>(job => job.RunAsync("worker-test"));

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "analytics-jobs.dll"));
        start.ArgumentList.Add("worker");
        start.Environment["Database__ConnectionString"] = db.ConnectionString;
        start.Environment["Jobs__PollIntervalSeconds"] = "1";
        start.Environment.Remove("Database__OwnerConnectionString"); // as deployed, commands connect as the application's role only; an owner inherited from the shell would point elsewhere
        using var worker = Process.Start(start)!;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            long runs;
            do
            {
                await Task.Delay(250);
                runs = await db.ScalarAsync<long>("SELECT count(*) FROM ops.heartbeat WHERE requested_by = 'worker-test'");
            }
            while (runs == 0 && DateTime.UtcNow < deadline && !worker.HasExited);
            Assert.Equal(1, runs);
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }
    }
}
