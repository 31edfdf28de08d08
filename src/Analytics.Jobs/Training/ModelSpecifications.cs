using Analytics.Models.Specifications;
using Microsoft.Extensions.Options;

namespace Analytics.Jobs.Training;

/// <summary>Where the model specifications are read from.</summary>
public sealed class TrainingOptions
{
    public const string Section = "Training";

    /// <summary>Folder of <c>*.json</c> model specifications; relative paths are taken from the working directory.</summary>
    public string SpecificationFolder { get; set; } = "data/models";
}

/// <summary>The model specifications of the configured folder, one JSON file per model, read on each call so an edit needs no restart.</summary>
public sealed class ModelSpecifications(IOptions<TrainingOptions> options)
{
    public IReadOnlyList<ModelSpecification> All()
    {
        var folder = Path.GetFullPath(options.Value.SpecificationFolder);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"the model specification folder {folder} does not exist (setting {TrainingOptions.Section}:{nameof(TrainingOptions.SpecificationFolder)})");
        var specs = Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal)
            .Select(file => ModelSpecification.Parse(File.ReadAllText(file), file)).ToList();
        foreach (var twice in specs.GroupBy(s => s.Code).Where(g => g.Count() > 1))
            throw new FormatException($"model code '{twice.Key}' is declared by more than one file in {folder}");
        return specs;
    }

    public ModelSpecification? Find(string code) => All().FirstOrDefault(s => s.Code == code);
}
