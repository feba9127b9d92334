namespace Gateway.Host.Commands;

/// <summary>What the command line asks for.</summary>
internal enum Command
{
    /// <summary>Start serving (no command given).</summary>
    Serve,

    /// <summary>Check a configuration and report every error.</summary>
    Validate,

    /// <summary>Print the route table of a configuration.</summary>
    Routes,

    /// <summary>Print the version.</summary>
    Version,

    /// <summary>Print the usage.</summary>
    Help,
}

/// <summary>The gateway's command-line arguments: an optional command, <c>--config PATH</c>, <c>--version</c> and <c>--help</c>.</summary>
/// <param name="Command">What to do.</param>
/// <param name="ConfigPath">The configuration file given with <c>--config</c>, or null.</param>
/// <param name="Error">What is wrong with the arguments, in one line, or null when they are fine.</param>
internal sealed record CommandLine(Command Command, string? ConfigPath, string? Error = null)
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        Usage: gateway [--config PATH]             start serving
               gateway validate [--config PATH]    check a configuration: prints every error (exit 2) or one OK line (exit 0)
               gateway routes [--config PATH]      print the route table of a configuration
               gateway --version                   print the version
               gateway --help                      this text

          --config PATH   configuration file (JSON; also GATEWAY_CONFIG)

        With no configuration (no --config, GATEWAY_CONFIG or GATEWAY_UPSTREAM) the demo starts:
        sample services on loopback and the routes of gateway.json. Every tuning knob is a GATEWAY_*
        environment variable; see docs/configuration.md. Exit codes: 0 done, 1 could not start, 2 bad
        arguments or configuration.
        """;

    /// <summary>Parses <paramref name="args"/>; anything it does not know sets <see cref="Error"/>.</summary>
    public static CommandLine Parse(string[] args)
    {
        var command = Command.Serve;
        string? config = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--config" when i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal):
                    config = args[++i];
                    break;
                case "--config" or "--config=":
                    return Failed("--config needs a file path");
                case var a when a.StartsWith("--config=", StringComparison.Ordinal):
                    config = a["--config=".Length..];
                    break;
                case "--help" or "-h":
                    return new CommandLine(Command.Help, null);
                case "--version":
                    return new CommandLine(Command.Version, null);
                case "validate" or "routes" when i == 0:
                    command = args[i] == "validate" ? Command.Validate : Command.Routes;
                    break;
                case var a when a.StartsWith('-'):
                    return Failed($"unknown option \"{a}\"");
                case var a:
                    return Failed($"unknown command \"{a}\"");
            }
        }

        return new CommandLine(command, config);
    }

    private static CommandLine Failed(string error) => new(Command.Help, null, error);
}
