using System.CommandLine;
using Analytics.Jobs.Ingest;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Jobs.Cli;

/// <summary><c>ingest KIND FILE</c> and <c>ingest manifest FILE</c>: load files from a shell, with a progress bar.</summary>
internal static class IngestCommands
{
    public static Command Create()
    {
        var ingest = new Command("ingest", "Load files into the database: validated, all or nothing, the same file twice is a no-op.");
        foreach (var kind in Enum.GetValues<IngestKind>())
            ingest.Subcommands.Add(ForKind(kind));
        ingest.Subcommands.Add(ForManifest());
        return ingest;
    }

    private static Command ForKind(IngestKind kind)
    {
        var file = new Argument<FileInfo>("file") { Description = "The file to load." };
        var source = new Option<string?>("--source") { Description = "Who produced the data." };
        var licence = new Option<string?>("--licence") { Description = "Its licence (e.g. \"Licence Ouverte / Etalab 2.0\")." };
        var level = new Option<string?>("--level") { Description = "Territory level: commune, epci, departement, region, iris, custom." };
        var vintage = new Option<int?>("--vintage") { Description = "Zoning vintage (COG year)." };
        var codeField = new Option<string?>("--code-field") { Description = "Property or column holding the code." };
        var nameField = new Option<string?>("--name-field") { Description = "Property holding the name." };
        var parentField = new Option<string?>("--parent-field") { Description = "Property holding the parent territory's code." };
        var parentLevel = new Option<string?>("--parent-level") { Description = "Level of the parent territories." };
        var srid = new Option<int?>("--srid") { Description = "EPSG code of the coordinates when the file does not say." };
        var period = new Option<string?>("--period") { Description = "Period of every value when the file has no period column (2022 or 2022-06)." };
        var layer = new Option<string?>("--layer") { Description = "Load as a layer: grid, stations, polygons or points." };
        var layerName = new Option<string?>("--layer-name") { Description = "Name of the layer (or of the GeoPackage table to read)." };
        var zoning = new Option<string?>("--zoning") { Description = "For a zoning file: the zoning's name (e.g. \"CPTS 2024\")." };
        var cellSize = new Option<double?>("--cell-size") { Description = "Grid cell size in metres (default 1000)." };
        var column = new Option<string[]>("--column") { Description = "Map a column to a catalogue indicator: name=indicator (repeatable).", AllowMultipleArgumentsPerToken = false };
        var maxRejected = new Option<double>("--max-rejected") { Description = "Largest share of rejected records that still loads (default 0.05).", DefaultValueFactory = _ => 0.05 };
        var user = new Option<string>("--as") { Description = "Account recorded as the loader (default: the system user).", DefaultValueFactory = _ => $"cli:{Environment.UserName}" };
        var command = new Command(kind.Name(), $"Load a {kind.Name()} file.")
        {
            file, source, licence, level, vintage, codeField, nameField, parentField, parentLevel, srid, period, layer, layerName, zoning, cellSize, column, maxRejected, user,
        };
        command.SetAction((parse, ct) => CliHost.RunAsync(async (services, token) =>
        {
            var mapping = (parse.GetValue(column) ?? []).Select(c => c.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
            var options = new IngestOptions
            {
                Source = parse.GetValue(source), Licence = parse.GetValue(licence), Level = parse.GetValue(level), Vintage = parse.GetValue(vintage),
                CodeField = parse.GetValue(codeField), NameField = parse.GetValue(nameField), ParentField = parse.GetValue(parentField),
                ParentLevel = parse.GetValue(parentLevel), Srid = parse.GetValue(srid), Period = parse.GetValue(period), Layer = parse.GetValue(layer),
                LayerName = parse.GetValue(layerName), Zoning = parse.GetValue(zoning), CellSize = parse.GetValue(cellSize), Columns = mapping.Count == 0 ? null : mapping,
                MaxRejectedShare = parse.GetValue(maxRejected),
            };
            var path = parse.GetValue(file)!;
            return Report(await LoadAsync(services, new IngestRequest(kind, path.FullName, path.Name, parse.GetValue(user)!, options), token));
        }, ct));
        return command;
    }

    private static Command ForManifest()
    {
        var file = new Argument<FileInfo>("manifest") { Description = "A JSON load manifest (see data/demo/load.json)." };
        var user = new Option<string>("--as") { Description = "Account recorded as the loader.", DefaultValueFactory = _ => $"cli:{Environment.UserName}" };
        var command = new Command("manifest", "Load every file a manifest lists, in its order; stops at the first file refused.") { file, user };
        command.SetAction((parse, ct) => CliHost.RunAsync(async (services, token) =>
        {
            var manifest = LoadManifest.Read(parse.GetValue(file)!.FullName);
            foreach (var entry in manifest.Loads)
            {
                var request = new IngestRequest(entry.Kind, entry.File, Path.GetFileName(entry.File), parse.GetValue(user)!, entry.Options ?? IngestOptions.Default);
                var exit = Report(await LoadAsync(services, request, token));
                if (exit != 0)
                    return exit;
            }
            return 0;
        }, ct));
        return command;
    }

    private static async Task<IngestResult> LoadAsync(IServiceProvider services, IngestRequest request, CancellationToken cancellationToken)
    {
        var bar = new ProgressBar();
        try
        {
            return await services.GetRequiredService<IngestService>().LoadAsync(request, bar, cancellationToken);
        }
        finally
        {
            bar.Clear();
        }
    }

    private static int Report(IngestResult result)
    {
        var output = result.Outcome == IngestOutcome.Failed ? Console.Error : Console.Out;
        output.WriteLine(result.Outcome == IngestOutcome.Failed ? $"error: {result.Describe()}" : result.Describe());
        foreach (var note in result.Notes)
            output.WriteLine($"  note: {note}");
        foreach (var record in result.QuarantineSample.Take(10))
            output.WriteLine($"  quarantined: line {record.Line}{(record.Field is null ? "" : $", {record.Field}")}: {record.Reason}");
        if (result.RowsQuarantined > 10)
            output.WriteLine($"  … {result.RowsQuarantined - 10:N0} more in ingest.quarantine (batch {result.BatchId})");
        return result.Outcome == IngestOutcome.Failed ? 65 : 0;
    }

    /// <summary>A one-line progress bar on a terminal; silent when standard error is redirected (logs, CI).</summary>
    private sealed class ProgressBar : IProgress<IngestProgress>
    {
        private bool drawn;

        public void Report(IngestProgress value)
        {
            if (Console.IsErrorRedirected || value.BytesTotal == 0)
                return;
            var share = Math.Clamp((double)value.BytesDone / value.BytesTotal, 0, 1);
            var filled = (int)(share * 30);
            Console.Error.Write($"\r{value.FileName,-32} [{new string('#', filled)}{new string('.', 30 - filled)}] {share,4:P0} {value.RowsDone,12:N0} rows");
            drawn = true;
        }

        public void Clear()
        {
            if (drawn)
                Console.Error.Write("\r" + new string(' ', 90) + "\r");
        }
    }
}
