using System.Text.Json;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Lifecycle;

/// <summary>
/// A real gateway process put through errors: a dead upstream behind a distributed rate limit whose Redis is gone (502), a
/// path without a route (404) and a request without Host (400).
/// </summary>
internal sealed class ErroringGateway : IDisposable
{
    private ErroringGateway(ConfigFile file, GatewayProcess process, string admin) => (File, Process, Admin) = (file, process, admin);

    /// <summary>The configuration file the process runs, for reloads.</summary>
    public ConfigFile File { get; }

    /// <summary>The process.</summary>
    public GatewayProcess Process { get; }

    /// <summary>The admin listener's URL.</summary>
    public string Admin { get; }

    /// <summary>Starts the process with <paramref name="environment"/> added to its own and sends the three requests.</summary>
    public static async Task<ErroringGateway> RunAsync(params (string Name, string Value)[] environment)
    {
        var file = new ConfigFile($$"""
            { "routes": [ { "id": "dead", "match": { "path": "/dead" }, "cluster": "dead", "policies": { "rateLimit": ["shared"] } } ],
              "clusters": { "dead": { "destinations": ["http://127.0.0.1:{{Ports.Free()}}"] } },
              "rateLimits": { "shared": { "permits": 100, "period": "1s", "distributed": true, "onRedisFailure": "FailOpen" } } }
            """);
        var variables = new Dictionary<string, string>
        {
            ["GATEWAY_LISTEN"] = "http://127.0.0.1:0",
            ["GATEWAY_ADMIN_LISTEN"] = "http://127.0.0.1:0",
            ["GATEWAY_REDIS"] = $"127.0.0.1:{Ports.Free()}",
        };
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        var process = GatewayProcess.Start(variables, "--config", file.Path);
        var (listen, admin) = await process.ServingAsync();
        Assert.True(ProcessTests.IsHealthy(admin), $"the gateway is not healthy: {process.StandardError}");
        foreach (var request in new[] { "GET /dead HTTP/1.1\r\nHost: a\r\n\r\n", "GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n", "GET /dead HTTP/1.1\r\n\r\n" })
        {
            await using var connection = await RawConnection.OpenAsync(ProcessTests.EndPointOf(listen));
            await connection.SendAsync(request);
            await connection.ReadResponseAsync();
        }

        return new ErroringGateway(file, process, admin);
    }

    /// <summary>Asserts that stdout holds exactly the three requests' access-log lines, and nothing else.</summary>
    public void AssertStandardOutputHoldsOnlyTheAccessLog()
    {
        var statuses = Process.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("status").GetInt32());
        Assert.Equal([400, 404, 502], statuses.Order());
    }

    public void Dispose()
    {
        Process.Dispose();
        File.Dispose();
    }
}
