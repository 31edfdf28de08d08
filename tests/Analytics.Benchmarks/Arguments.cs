namespace Analytics.Benchmarks;

/// <summary>The benchmarks' command-line options: <c>--name value</c> pairs.</summary>
internal static class Arguments
{
    public static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
