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
        var unlessDone = new Option<bool>("--unless-done") { Description = "Skip a model already trained on the same data by the same build and seed." };
        var train = new Command("train", "Train a model, audit it for fairness and submit the run for human review.") { model, all, user, unlessDone };
        train.SetAction((parse, ct) => CliHost.RunAsync(async (services, token) =>
        {
            var specifications = services.GetRequiredService<ModelSpecifications>();
            var code = parse.GetValue(model);
            var specs = parse.GetValue(all) ? specifications.All()
                : code is not null && specifications.Find(code) is { } one ? [one]
                : throw new ArgumentException(code is null ? "name a model or pass --all" : $"no model specification '{code}' (known: {string.Join(", ", specifications.All().Select(s => s.Code))})");
            var training = services.GetRequiredService<ModelTraining>();
            foreach (var spec in specs)
            {
                if (parse.GetValue(unlessDone) && await training.SameRunAsync(spec, token) is long done)
                {
                    Console.WriteLine($"{spec.Code}: already trained on these data by this build (run {done}); nothing to do");
                    continue;
                }
                var outcome = await training.RunAsync(spec, parse.GetValue(user)!, token);
                Console.WriteLine($"{spec.Code}: run {outcome.RunId}, champion {outcome.Champion}, fairness {outcome.Fairness} (reweighted: {outcome.FairnessAfterMitigation}), "
                    + (outcome.ReleaseId is long release ? $"release {release} pending review" : $"no release — failed checks: {string.Join("; ", outcome.FailedChecks)}"));
            }
            return 0;
        }, ct));
        return train;
    }
}
