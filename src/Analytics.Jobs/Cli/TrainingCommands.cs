using System.CommandLine;
using Analytics.Jobs.Training;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Jobs.Cli;

/// <summary><c>train MODEL|--all --as USER</c>: train, audit and submit for review.</summary>
internal static class TrainingCommands
{
    public static Command Create()
    {
        var model = new Argument<string?>("model") { Description = "Model code (a file of the specification folder); omit with --all.", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Train every model of the specification folder." };
        var user = new Option<string>("--as") { Description = "Who launches the run (recorded; this person cannot approve its release).", Required = true };
        var train = new Command("train", "Train a model, audit it for fairness and submit the run for human review.") { model, all, user };
        train.SetAction((parse, ct) => CliHost.RunAsync(async (services, token) =>
        {
            var specifications = services.GetRequiredService<ModelSpecifications>();
            var code = parse.GetValue(model);
            var specs = parse.GetValue(all) ? specifications.All()
                : code is not null && specifications.Find(code) is { } one ? [one]
                : throw new ArgumentException(code is null ? "name a model or pass --all" : $"no model specification '{code}' (known: {string.Join(", ", specifications.All().Select(s => s.Code))})");
            foreach (var spec in specs)
            {
                var outcome = await services.GetRequiredService<ModelTraining>().RunAsync(spec, parse.GetValue(user)!, token);
                Console.WriteLine($"{spec.Code}: run {outcome.RunId}, champion {outcome.Champion}, fairness {outcome.Fairness} (reweighted: {outcome.FairnessAfterMitigation}), "
                    + (outcome.ReleaseId is long release ? $"release {release} pending review" : $"no release — failed checks: {string.Join("; ", outcome.FailedChecks)}"));
            }
            return 0;
        }, ct));
        return train;
    }
}
