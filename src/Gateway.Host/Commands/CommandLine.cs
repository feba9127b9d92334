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

    /// <summary>Write the OpenAPI documents and the diagram of a configuration to a folder.</summary>
    Docs,

    /// <summary>Print the version.</summary>
    Version,

    /// <summary>Print the usage.</summary>
    Help,
}

/// <summary>The gateway's command-line arguments: an optional command, <c>--config PATH</c>, <c>--out DIR</c> (docs), <c>--version</c> and <c>--help</c>.</summary>
/// <param name="Command">What to do.</param>
/// <param name="ConfigPath">The configuration file given with <c>--config</c>, or null.</param>
/// <param name="Error">What is wrong with the arguments, in one line, or null when they are fine.</param>
/// <param name="OutPath">The folder <c>docs</c> writes to, given with <c>--out</c>, or null.</param>
internal sealed record CommandLine(Command Command, string? ConfigPath, string? Error = null, string? OutPath = null)
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        Usage: gateway [--config PATH]             start serving
               gateway validate [--config PATH]    check a configuration: prints every error (exit 2) or one OK line (exit 0)
               gateway routes [--config PATH]      print the route table of a configuration
               gateway docs [--config PATH] --out DIR
                                                   write openapi.json, openapi-NAME.json per named frontend and diagram.mmd
               gateway --version                   print the version
               gateway --help                      this text

          --config PATH   configuration file (JSON; also GATEWAY_CONFIG)
          --out DIR       the folder docs writes to (created when missing)

        With no configuration (no --config, GATEWAY_CONFIG or GATEWAY_UPSTREAM) the demo starts:
        sample services on loopback and the routes of gateway.json. Every tuning knob is a GATEWAY_*
        environment variable; see docs/configuration.md. Exit codes: 0 done, 1 could not start, 2 bad
        arguments or configuration.
        """;

    /// <summary>Parses <paramref name="args"/>; anything it does not know sets <see cref="Error"/>.</summary>
    public static CommandLine Parse(string[] args)
    {
        var command = Command.Serve;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--config" or "--out" when i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal):
                    values[args[i]] = args[++i];
                    break;
                case "--config" or "--config=":
                    return Failed("--config needs a file path");
                case "--out" or "--out=":
                    return Failed("--out needs a folder path");
                case var a when a.StartsWith("--config=", StringComparison.Ordinal) || a.StartsWith("--out=", StringComparison.Ordinal):
                    values[a[..a.IndexOf('=', StringComparison.Ordinal)]] = a[(a.IndexOf('=', StringComparison.Ordinal) + 1)..];
                    break;
                case "--help" or "-h":
                    return new CommandLine(Command.Help, null);
                case "--version":
                    return new CommandLine(Command.Version, null);
                case "validate" or "routes" or "docs" when i == 0:
                    command = args[i] switch { "validate" => Command.Validate, "routes" => Command.Routes, _ => Command.Docs };
                    break;
                case var a when a.StartsWith('-'):
                    return Failed($"unknown option \"{a}\"");
                case var a:
                    return Failed($"unknown command \"{a}\"");
            }
        }

        var output = values.GetValueOrDefault("--out");
        return (command, output) switch
        {
            (Command.Docs, null) => Failed("docs needs --out DIR"),
            (not Command.Docs, not null) => Failed("--out is an option of docs only"),
            _ => new CommandLine(command, values.GetValueOrDefault("--config"), null, output),
        };
    }

    private static CommandLine Failed(string error) => new(Command.Help, null, error);
}
