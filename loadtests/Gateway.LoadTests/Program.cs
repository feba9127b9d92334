using Gateway.LoadTests;
using Gateway.LoadTests.Cli;
using Gateway.LoadTests.Scenarios;

// Scenario load tests for the gateway: `--scenario NAME [--duration 20s] [--rate 2000 | --users N] [--target URL]`.
var (options, error) = RunOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine($"load: {error}");
    Console.Error.WriteLine(RunOptions.Usage);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(RunOptions.Usage);
    return 0;
}

if (options.List)
{
    foreach (var s in ScenarioCatalog.All)
    {
        Console.WriteLine($"{s.Name,-12} {s.Description}");
        Console.WriteLine($"{string.Empty,-12} routes: {s.Gateway.Routes}");
    }

    return 0;
}

if (ScenarioCatalog.Find(options.Scenario!) is not { } scenario)
{
    Console.Error.WriteLine($"load: unknown scenario '{options.Scenario}' (known: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))})");
    return 2;
}

return await LoadTestSession.RunAsync(options, scenario);
