using Gateway.Host.Commands;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Lifecycle;

/// <summary>The command line: its parsing, and the real binary's <c>--version</c>, <c>validate</c>, <c>routes</c> and refusals, with their output and exit codes.</summary>
public sealed class CommandLineTests
{
    private const string TwoRoutes = """
        { "routes": [
            { "id": "user", "match": { "path": "/users/{id}", "methods": ["GET"], "hosts": ["api.example.com"] }, "cluster": "users",
              "policies": { "authentication": ["keys"], "rateLimit": ["per-client"] } },
            { "id": "moved", "frontend": "mobile", "match": { "path": "/v0/{*rest}" }, "respond": { "status": 308 } } ],
          "clusters": { "users": { "destinations": ["http://127.0.0.1:5001"] } },
          "frontends": { "mobile": { "hosts": ["m.example.com"] } },
          "authentication": { "keys": { "apiKey": { "header": "X-Api-Key", "keys": { "partner": "sha256:c48a01f49fd0f2cc404bc3cbbc80e91457a3d41bb429a695243de4c61794155c" } } } },
          "rateLimits": { "per-client": { "permits": 10, "period": "1s" } } }
        """;

    [Theory]
    [InlineData(new string[0], nameof(Command.Serve), null)]
    [InlineData(new[] { "--config", "a.json" }, nameof(Command.Serve), "a.json")]
    [InlineData(new[] { "--config=a.json" }, nameof(Command.Serve), "a.json")]
    [InlineData(new[] { "validate", "--config", "a.json" }, nameof(Command.Validate), "a.json")]
    [InlineData(new[] { "routes", "--config=a.json" }, nameof(Command.Routes), "a.json")]
    [InlineData(new[] { "routes" }, nameof(Command.Routes), null)]
    [InlineData(new[] { "--version" }, nameof(Command.Version), null)]
    [InlineData(new[] { "--help" }, nameof(Command.Help), null)]
    public void ParsesCommandsAndOptions(string[] args, string command, string? config)
    {
        Assert.Equal(new CommandLine(Enum.Parse<Command>(command), config), CommandLine.Parse(args));
    }

    [Theory]
    [InlineData(new[] { "--config" }, "--config needs a file path")]
    [InlineData(new[] { "--config", "--help" }, "--config needs a file path")]
    [InlineData(new[] { "--config=" }, "--config needs a file path")]
    [InlineData(new[] { "--conf", "x" }, "unknown option \"--conf\"")]
    [InlineData(new[] { "-v" }, "unknown option \"-v\"")]
    [InlineData(new[] { "serve" }, "unknown command \"serve\"")]
    [InlineData(new[] { "--config", "a.json", "validate" }, "unknown command \"validate\"")]
    public void RefusesWhatItDoesNotKnowNamingIt(string[] args, string error)
    {
        Assert.Equal(error, CommandLine.Parse(args).Error);
    }

    [Fact]
    public async Task VersionPrintsTheInformationalVersionAndExitsZero()
    {
        using var gateway = GatewayProcess.Start(new Dictionary<string, string>(), "--version");

        Assert.Equal(0, await gateway.WaitForExitAsync());
        Assert.StartsWith("gateway 1.", gateway.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("", gateway.StandardError);
    }

    [Fact]
    public async Task AnUnknownOptionExitsTwoNamingItThenTheUsageOnStandardError()
    {
        using var gateway = GatewayProcess.Start(new Dictionary<string, string>(), "--conf", "x");

        Assert.Equal(2, await gateway.WaitForExitAsync());
        var lines = gateway.StandardError.Split('\n');
        Assert.Equal("gateway: unknown option \"--conf\"", lines[0]);
        Assert.StartsWith("Usage: gateway", lines[1], StringComparison.Ordinal);
        Assert.Equal("", gateway.StandardOutput);
    }

    [Fact]
    public async Task ValidateOfAGoodFileSaysOkAndExitsZero()
    {
        using var file = new ConfigFile(TwoRoutes);
        using var gateway = GatewayProcess.Start(new Dictionary<string, string>(), "validate", "--config", file.Path);

        Assert.Equal(0, await gateway.WaitForExitAsync());
        Assert.Equal($"{file.Path}: OK (2 routes, 1 cluster)", gateway.StandardOutput.Trim());
        Assert.Equal("", gateway.StandardError);
    }

    [Fact]
    public async Task ValidateReportsEveryErrorWithItsJsonPathAndExitsTwo()
    {
        using var file = new ConfigFile("""
            { "routes": [ { "id": "a", "match": { "path": "/a" }, "cluster": "missing" }, { "id": "b", "match": { "path": "b" }, "cluster": "c" } ],
              "clusters": { "c": { "destinations": ["http://127.0.0.1:1"], "timeout": "soon" } } }
            """);
        using var gateway = GatewayProcess.Start(new Dictionary<string, string>(), "validate", "--config", file.Path);

        Assert.Equal(2, await gateway.WaitForExitAsync());
        var errors = gateway.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Collection(
            errors,
            line => Assert.Contains($"{file.Path}: $.routes[0].cluster: unknown cluster \"missing\"", line, StringComparison.Ordinal),
            line => Assert.Contains($"{file.Path}: $.routes[1].match.path: path \"b\" must start with '/'", line, StringComparison.Ordinal),
            line => Assert.Contains($"{file.Path}: $.clusters.c.timeout: expected a duration", line, StringComparison.Ordinal));
        Assert.Equal("", gateway.StandardOutput);
    }

    [Fact]
    public async Task ValidateCompilesTheRoutesSoAnAmbiguityIsAnError()
    {
        using var file = new ConfigFile("""
            { "routes": [ { "id": "a", "match": { "path": "/a/{x}" }, "cluster": "c" }, { "id": "b", "match": { "path": "/a/{y}" }, "cluster": "c" } ],
              "clusters": { "c": { "destinations": ["http://127.0.0.1:1"] } } }
            """);
        using var gateway = GatewayProcess.Start(new Dictionary<string, string>(), "validate", "--config", file.Path);

        Assert.Equal(2, await gateway.WaitForExitAsync());
        Assert.Contains("$.routes[1].match.path: route \"b\" is ambiguous with route \"a\"", gateway.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RoutesPrintsTheRouteTable()
    {
        using var file = new ConfigFile(TwoRoutes);
        using var gateway = GatewayProcess.Start(new Dictionary<string, string>(), "routes", "--config", file.Path);

        Assert.Equal(0, await gateway.WaitForExitAsync());
        var rows = gateway.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(["FRONTEND", "ROUTE", "METHODS", "HOSTS", "PATH", "HANDLER", "STEPS"], rows[0]);
        Assert.Equal(["-", "user", "GET", "api.example.com", "/users/{id}", "cluster", "users", "authentication(keys)", "rateLimit(per-client)"], rows[1]);
        Assert.Equal(["mobile", "moved", "*", "*", "/v0/{*rest}", "respond", "308", "-"], rows[2]);
        Assert.Equal(3, rows.Count);
    }
}
