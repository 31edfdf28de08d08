using Analytics.Benchmarks;

// dotnet run -c Release --project tests/Analytics.Benchmarks -- <benchmark> [options]
// Needs ANALYTICS_TEST_DATABASE (eval "$(scripts/pg.sh env)"); each benchmark works in a fresh database.
return args.FirstOrDefault() switch
{
    "ingest" => await IngestBenchmark.RunAsync(args.Skip(1).ToArray()),
    "interpolation" => await InterpolationBenchmark.RunAsync(args.Skip(1).ToArray()),
    "models" => await ModelsBenchmark.RunAsync(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Analytics.Benchmarks ingest [--rows 1000000] [--rounds 3] [--out FILE.json]");
    Console.Error.WriteLine("       Analytics.Benchmarks interpolation --world DIR [--period 2023] [--out FILE.json]");
    Console.Error.WriteLine("       Analytics.Benchmarks models [--territories 35000] [--periods 1] [--out FILE.json]");
    return 2;
}
