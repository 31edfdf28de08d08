using Analytics.Models.Access;

namespace Analytics.Models.Tests.Conventions;

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
}
