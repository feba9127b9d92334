using System.Net;
using System.Net.Sockets;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Lifecycle;

/// <summary>Where the real process writes: stdout carries nothing but the access log, and the gateway's own messages go to stderr, one line each, without stack traces.</summary>
public sealed class OutputStreamTests
{
    [Fact]
    public async Task UnderErrorsStandardOutputHoldsOnlyAccessLogLines()
    {
        using var run = await ErroringGateway.RunAsync();
        var gateway = run.Process;
        await gateway.TerminateAsync();
        Assert.Equal(0, await gateway.WaitForExitAsync());

        run.AssertStandardOutputHoldsOnlyTheAccessLog();
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
