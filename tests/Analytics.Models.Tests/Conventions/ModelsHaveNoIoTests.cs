using Analytics.Models.Access;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Analytics.Models.Tests.Conventions;

/// <summary>
/// Analytics.Models computes; it never reads files, the console, the environment, the clock or the network, so that
/// the same inputs give the same outputs and every method can be checked by hand. Checked on the compiled code
/// (every call, constructor and field access of every method, lambdas and state machines included), not only on
/// the assembly's references: <c>System.IO.File</c> lives in the base library every assembly references.
/// </summary>
public class ModelsHaveNoIoTests
{
    [Fact]
    public void the_models_assembly_references_no_database_http_or_job_library()
    {
        var forbidden = new[] { "Npgsql", "Microsoft.AspNetCore", "Hangfire", "System.Net.Http", "Analytics.Jobs", "Analytics.Api" };
        var references = typeof(Role).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();
        var offending = references.Where(r => forbidden.Any(f => r.StartsWith(f, StringComparison.Ordinal))).ToList();
        Assert.True(offending.Count == 0, $"Analytics.Models must stay free of I/O, but references: {string.Join(", ", offending)}");
    }

    [Fact]
    public void no_method_of_models_touches_files_console_environment_clock_network_processes_or_unseeded_randomness()
    {
        var found = ForbiddenCalls(typeof(Role).Assembly.Location, _ => true);
        Assert.True(found.Count == 0, "Analytics.Models must stay free of I/O and hidden inputs, but:\n" + string.Join("\n", found));
    }

    [Fact]
    public void the_inspection_finds_each_kind_of_forbidden_call_in_a_sample_that_makes_them()
    {
        var found = ForbiddenCalls(typeof(ForbiddenCallsSample).Assembly.Location, t => t.FullName.StartsWith(typeof(ForbiddenCallsSample).FullName!, StringComparison.Ordinal));

        foreach (var member in new[]
        {
            "System.IO.File::ReadAllText", "System.IO.StreamReader::.ctor", "System.Console::WriteLine",
            "System.Environment::GetEnvironmentVariable", "System.DateTime::get_UtcNow", "System.Diagnostics.Stopwatch::StartNew",
            "System.Net.Http.HttpClient::.ctor", "System.Diagnostics.Process::Start", "System.Random::.ctor", "System.Random::get_Shared",
        })
            Assert.Contains(found, f => f.Contains(member, StringComparison.Ordinal));
        // Allowed: reading a stream or writer handed in, formatting a line break, a seeded generator.
        Assert.DoesNotContain(found, f => f.Contains("::AllowedUses", StringComparison.Ordinal));
    }

    /// <summary>Each forbidden use as "caller → member", over the types of <paramref name="assemblyPath"/> that <paramref name="include"/> keeps.</summary>
    private static List<string> ForbiddenCalls(string assemblyPath, Func<TypeDefinition, bool> include)
    {
        using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath);
        var found = new List<string>();
        foreach (var type in assembly.MainModule.GetTypes().Where(include))
            foreach (var method in type.Methods.Where(m => m.HasBody))
                foreach (var instruction in method.Body.Instructions)
                    if (Forbidden(instruction) is { } why)
                        found.Add($"{type.FullName}::{method.Name} → {why}");
        return found;
    }

    private static string? Forbidden(Instruction instruction)
    {
        var member = instruction.Operand as MemberReference;
        if (member?.DeclaringType is not { } declaring)
            return null;
        var type = declaring.GetElementType().FullName;
        var name = member.Name;
        var where = $"{type}::{name}";
        string? why = type switch
        {
            "System.IO.File" or "System.IO.Directory" or "System.IO.FileInfo" or "System.IO.DirectoryInfo" or "System.IO.FileStream"
                or "System.IO.DriveInfo" or "System.IO.FileSystemWatcher" or "System.IO.MemoryMappedFiles.MemoryMappedFile" => "file system",
            // A reader or writer over a stream handed in is fine; one opened on a path is file I/O.
            "System.IO.StreamReader" or "System.IO.StreamWriter" when name == ".ctor" && member is MethodReference ctor
                && ctor.Parameters.FirstOrDefault()?.ParameterType.FullName == "System.String" => "file opened by path",
            "System.IO.Path" when name is "GetTempPath" or "GetTempFileName" or "GetFullPath" => "file system",
            "System.Console" => "console",
            // Iterators the compiler writes read the thread id; that is no input to a result.
            "System.Environment" when name is not ("get_NewLine" or "get_CurrentManagedThreadId") => "environment",
            "System.DateTime" or "System.DateTimeOffset" when name is "get_Now" or "get_UtcNow" or "get_Today" => "clock",
            "System.Diagnostics.Stopwatch" or "System.TimeProvider" => "clock",
            "System.Diagnostics.Process" => "process",
            // Unseeded randomness would make a run impossible to repeat.
            "System.Random" when name == "get_Shared" || (name == ".ctor" && member is MethodReference { Parameters.Count: 0 }) => "unseeded randomness",
            _ when type.StartsWith("System.Net.", StringComparison.Ordinal) && type != "System.Net.WebUtility" => "network",
            _ => null,
        };
        return why is null ? null : $"{where} ({why})";
    }
}

/// <summary>Code the inspection must catch (and two uses it must allow): proof that the check above can fail.</summary>
internal static class ForbiddenCallsSample
{
    public static async Task<object> ForbiddenUses()
    {
        var text = File.ReadAllText("/etc/hostname");
        using var reader = new StreamReader("/etc/hostname");
        Console.WriteLine(text);
        var home = Environment.GetEnvironmentVariable("HOME");
        var now = DateTime.UtcNow;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var client = new HttpClient();
        using var process = System.Diagnostics.Process.Start("true");
        var draw = new Random().Next() + Random.Shared.Next();
        await Task.Yield();
        return (home, now, watch, draw);
    }

    public static string AllowedUses(TextReader reader, Stream stream) =>
        reader.ReadToEnd() + Environment.NewLine + new StreamReader(stream).ReadToEnd() + new Random(42).Next();
}
