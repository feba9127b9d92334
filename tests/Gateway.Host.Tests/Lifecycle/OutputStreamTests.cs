using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Lifecycle;

/// <summary>Where the real process writes: stdout carries nothing but the access log, and the gateway's own messages go to stderr, one line each, without stack traces.</summary>
public sealed class OutputStreamTests
{
    [Fact]
    public async Task UnderErrorsStandardOutputHoldsOnlyAccessLogLines()
    {
        using var file = new ConfigFile($$"""
            { "routes": [ { "id": "dead", "match": { "path": "/dead" }, "cluster": "dead", "policies": { "rateLimit": ["shared"] } } ],
              "clusters": { "dead": { "destinations": ["http://127.0.0.1:{{Ports.Free()}}"] } },
              "rateLimits": { "shared": { "permits": 100, "period": "1s", "distributed": true, "onRedisFailure": "FailOpen" } } }
            """);
        using var gateway = GatewayProcess.Start(
            new Dictionary<string, string>
            {
                ["GATEWAY_LISTEN"] = "http://127.0.0.1:0",
                ["GATEWAY_ADMIN_LISTEN"] = "http://127.0.0.1:0",
                ["GATEWAY_REDIS"] = $"127.0.0.1:{Ports.Free()}",
            },
            "--config",
            file.Path);
        var (listen, admin) = await gateway.ServingAsync();
        Assert.True(ProcessTests.IsHealthy(admin), $"the gateway is not healthy: {gateway.StandardError}");

        foreach (var request in new[] { "GET /dead HTTP/1.1\r\nHost: a\r\n\r\n", "GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n", "GET /dead HTTP/1.1\r\n\r\n" })
        {
            await using var connection = await RawConnection.OpenAsync(ProcessTests.EndPointOf(listen));
            await connection.SendAsync(request);
            await connection.ReadResponseAsync();
        }

        await gateway.TerminateAsync();
        Assert.Equal(0, await gateway.WaitForExitAsync());

        var lines = gateway.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var statuses = lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("status").GetInt32()).ToList();
        Assert.Equal([400, 404, 502], statuses.Order());
        Assert.Contains("gateway: serving", gateway.StandardError, StringComparison.Ordinal);
        Assert.Contains("Rate limit store unreachable", gateway.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", gateway.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APortInUseIsOneLineOnStandardErrorAndExitCodeOne()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        using var gateway = GatewayProcess.Start(new Dictionary<string, string>
        {
            ["GATEWAY_UPSTREAM"] = "http://127.0.0.1:1",
            ["GATEWAY_LISTEN"] = $"http://{taken.LocalEndpoint}",
            ["GATEWAY_ADMIN_LISTEN"] = "",
        });

        Assert.Equal(1, await gateway.WaitForExitAsync());
        var error = Assert.Single(gateway.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"gateway: could not start: Failed to bind to address http://{taken.LocalEndpoint}: address already in use", error, StringComparison.Ordinal);
        Assert.Equal("", gateway.StandardOutput);
    }
}
