using System.Globalization;

namespace Gateway.LoadTests.Cli;

/// <summary>The command line of the load-test runner.</summary>
internal sealed record RunOptions
{
    /// <summary>The longest run the runner accepts: load tests are always bounded.</summary>
    public static readonly TimeSpan LongestDuration = TimeSpan.FromHours(2);

    /// <summary>What <c>--help</c> prints.</summary>
    public const string Usage = """
        Usage: dotnet run -c Release --project loadtests/Gateway.LoadTests -- --scenario NAME [options]

          --scenario NAME      the scenario to run (see --list)
          --list               list the scenarios and exit
          --duration D         total load time, e.g. 20s, 90s, 2m, 1h (default 20s, at most 2h)
          --rate N             open model: peak arrival rate in requests/s (default 2000); the default profile
                               ramps from N/10 to N over the first quarter, then holds N
          --users N            closed model instead: N virtual users for the whole duration
          --target URL         load a running gateway at this loopback URL instead of starting one
                               (it must serve the scenario's routes: see --list)
          --out DIR            where reports go (default loadtests/results under the repository)
          --connections N      client connections at most (default 256)
          --max-in-flight N    open model: outstanding requests at most; beyond it requests are dropped and counted (default 2000)
          --timeout D          per-request timeout (default 5s)
          -h, --help           this text
        """;

    /// <summary>The scenario's name.</summary>
    public string? Scenario { get; init; }

    /// <summary>Whether to list the scenarios.</summary>
    public bool List { get; init; }

    /// <summary>Whether to print the usage.</summary>
    public bool Help { get; init; }

    /// <summary>Total load time.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Peak arrival rate (open model).</summary>
    public double Rate { get; init; } = 2000;

    /// <summary>Virtual users (closed model), or null for the open model.</summary>
    public int? Users { get; init; }

    /// <summary>A running gateway to load, or null to start one.</summary>
    public Uri? Target { get; init; }

    /// <summary>Where reports go; null for the default.</summary>
    public string? Output { get; init; }

    /// <summary>Client connections at most.</summary>
    public int Connections { get; init; } = 256;

    /// <summary>Outstanding requests at most (open model).</summary>
    public int MaxInFlight { get; init; } = 2000;

    /// <summary>Per-request timeout.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Parses <paramref name="args"/>; on failure returns the error to print.</summary>
    public static (RunOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var options = new RunOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--list" or "-h" or "--help")
            {
                options = name == "--list" ? options with { List = true } : options with { Help = true };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                return (null, $"{name} needs a value");
            }

            var value = args[++i];
            var (parsed, error) = Apply(options, name, value);
            if (error is not null)
            {
                return (null, error);
            }

            options = parsed!;
        }

        return options.Scenario is null && !options.List && !options.Help ? (null, "--scenario is required (see --list)") : (options, null);
    }

    private static (RunOptions? Options, string? Error) Apply(RunOptions options, string name, string value) => name switch
    {
        "--scenario" => (options with { Scenario = value }, null),
        "--duration" => DurationText.Parse(value) is { } d && d <= LongestDuration
            ? (options with { Duration = d }, null)
            : (null, $"--duration '{value}' is not a duration of at most {LongestDuration.TotalHours} hours (e.g. 20s)"),
        "--rate" => double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate) && rate > 0
            ? (options with { Rate = rate }, null)
            : (null, $"--rate '{value}' is not a positive number"),
        "--users" => Positive(value) is { } users ? (options with { Users = users }, null) : (null, $"--users '{value}' is not a positive whole number"),
        "--target" => Hosting.LoopbackTarget.Parse(value) is { Target: { } target } ? (options with { Target = target }, null) : (null, Hosting.LoopbackTarget.Parse(value).Error),
        "--out" => (options with { Output = value }, null),
        "--connections" => Positive(value) is { } connections ? (options with { Connections = connections }, null) : (null, $"--connections '{value}' is not a positive whole number"),
        "--max-in-flight" => Positive(value) is { } cap ? (options with { MaxInFlight = cap }, null) : (null, $"--max-in-flight '{value}' is not a positive whole number"),
        "--timeout" => DurationText.Parse(value) is { } t ? (options with { Timeout = t }, null) : (null, $"--timeout '{value}' is not a duration"),
        _ => (null, $"unknown option '{name}'"),
    };

    private static int? Positive(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
