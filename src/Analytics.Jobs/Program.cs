using System.CommandLine;
using Analytics.Jobs.Cli;

// analytics-jobs: the command-line face of the pipeline. Each group lives in Cli/.
var root = new RootCommand("One Health territorial analytics — pipeline and administration commands.")
{
    DatabaseCommands.Create(),
    IngestCommands.Create(),
    FeaturesCommands.Create(),
    TrainingCommands.Create(),
    PipelineCommands.Create(),
    UserCommands.Create(),
    WorkerCommand.Create(),
    DemoCommands.Create(),
    AuditCommands.Create(),
};
return await root.Parse(args).InvokeAsync();
