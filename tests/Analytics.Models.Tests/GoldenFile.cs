using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Analytics.Models.Tests;

/// <summary>Reads a golden fixture that lives next to the tests, by its path under the test project.</summary>
internal static class GoldenFile
{
    public static JsonElement Read(string relativePath) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(ProjectDirectory(), relativePath))).RootElement;

    // This file sits at the root of the test project, so its own path locates the fixtures.
    private static string ProjectDirectory([CallerFilePath] string thisFile = "") => Path.GetDirectoryName(thisFile)!;

    public static double[] Doubles(this JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static int[] Ints(this JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();
}
