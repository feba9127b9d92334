namespace Gateway.Host;

/// <summary>The gateway's command-line arguments: <c>--config PATH</c> and <c>--help</c>.</summary>
internal sealed record CommandLine(string? ConfigPath, bool ShowHelp)
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        Usage: gateway [--config PATH]

          --config PATH   configuration file (JSON; also GATEWAY_CONFIG)
          --help          this text

        With no configuration (no --config, GATEWAY_CONFIG or GATEWAY_UPSTREAM) the demo starts:
        sample services on loopback and the routes of gateway.json. Every tuning knob is a GATEWAY_*
        environment variable; see the README.
        """;

    /// <summary>Parses <paramref name="args"/>; unknown arguments show the usage.</summary>
    public static CommandLine Parse(string[] args)
    {
        string? config = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--config" when i + 1 < args.Length:
                    config = args[++i];
                    break;
                case var a when a.StartsWith("--config=", StringComparison.Ordinal):
                    config = a["--config=".Length..];
                    break;
                default:
                    return new CommandLine(null, ShowHelp: true);
            }
        }

        return new CommandLine(config, ShowHelp: false);
    }
}
