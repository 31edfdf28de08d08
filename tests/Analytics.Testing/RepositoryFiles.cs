namespace Analytics.Testing;

/// <summary>Files of the repository (demo data, catalogue), found from the test binaries' folder upwards.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => System.IO.Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Analytics.sln")))
                return folder.FullName;
        throw new InvalidOperationException($"No Analytics.sln above {AppContext.BaseDirectory}: tests must run from a checkout of the repository.");
    }
}
