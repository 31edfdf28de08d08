using Analytics.Benchmarks;

// dotnet run -c Release --project tests/Analytics.Benchmarks -- <benchmark> [options]
// Needs ANALYTICS_TEST_DATABASE (eval "$(scripts/pg.sh env)"); each benchmark works in a fresh database, except
// indicators, which loads a running instance and reads its database (a world with its features built).
return args.FirstOrDefault() switch
{
    "ingest" => await IngestBenchmark.RunAsync(args.Skip(1).ToArray()),
    "interpolation" => await InterpolationBenchmark.RunAsync(args.Skip(1).ToArray()),
    "models" => await ModelsBenchmark.RunAsync(args.Skip(1).ToArray()),
    "bym2" => await Bym2Benchmark.RunAsync(args.Skip(1).ToArray()),
    "bym2-coverage" => await Bym2CoverageStudy.RunAsync(args.Skip(1).ToArray()),
    "indicators" => await IndicatorServiceBenchmark.RunAsync(args.Skip(1).ToArray()),
    "map" => await MapPaintBenchmark.RunAsync(args.Skip(1).ToArray()),
    "planning" => await PlanningBenchmark.RunAsync(args.Skip(1).ToArray()),
    "neighbours" => await NeighboursBenchmark.RunAsync(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Analytics.Benchmarks ingest [--rows 1000000] [--rounds 3] [--out FILE.json]");
    Console.Error.WriteLine("       Analytics.Benchmarks interpolation --world DIR [--period 2023] [--out FILE.json]");
    Console.Error.WriteLine("       Analytics.Benchmarks neighbours [--world DIR] [--rounds 3] [--tolerance 1] [--out FILE.json]");
    Console.Error.WriteLine("       Analytics.Benchmarks models [--territories 35000] [--periods 1] [--out FILE.json]");
    Console.Error.WriteLine("       Analytics.Benchmarks bym2 [--territories 35000] [--periods 1] [--out FILE.json]");
    Console.Error.WriteLine("       Analytics.Benchmarks bym2-coverage [--worlds 20] [--first-seed 1] [--scale region|test] [--effect demo|bym2] [--out FILE.json]");
    Console.Error.WriteLine("       ANALYTICS_PASSWORD=… Analytics.Benchmarks map --url URL --user NAME [--runs 3]");
    Console.Error.WriteLine("       Analytics.Benchmarks planning --url URL --token TOKEN --database CONNECTION [--model asthma_commune] [--runs 30] [--out FILE.json]");
    Console.Error.WriteLine("       Analytics.Benchmarks indicators --url URL --token TOKEN --database CONNECTION [--concurrency 64] [--requests 20000] [--out FILE.json]");
    return 2;
}
