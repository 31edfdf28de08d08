namespace Analytics.Testing;

/// <summary>
/// The shared reference data (real public data sets, each with its NOTICE.md), kept outside the repository and
/// never copied into it: checks of the product against real geography read it from the folder that
/// <c>ANALYTICS_REFERENCE_DATA</c> names, by default <c>/work/shared/reference-data</c>.
/// </summary>
public static class ReferenceData
{
    public const string Variable = "ANALYTICS_REFERENCE_DATA";
    public const string DefaultFolder = "/work/shared/reference-data";

    /// <summary>The path of <paramref name="relative"/> in the reference data; fails, saying how to fix it, when the file is not there.</summary>
    public static string PathOf(string relative)
    {
        var variable = Environment.GetEnvironmentVariable(Variable);
        var folder = string.IsNullOrWhiteSpace(variable) ? DefaultFolder : variable;
        var path = System.IO.Path.Combine(folder, relative);
        if (!File.Exists(path))
            throw new InvalidOperationException(
                $"The reference data file {relative} is not in {folder} ({(string.IsNullOrWhiteSpace(variable) ? $"the default, {Variable} being unset" : $"from {Variable}")}). " +
                $"Set {Variable} to the folder that holds the shared reference data (geo/, nc_sids/, …); it is not part of the repository.");
        return path;
    }
}
