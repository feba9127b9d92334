using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Lifecycle;

/// <summary>
/// GATEWAY_DRAIN_DELAY: after SIGTERM <c>/readyz</c> answers 503 at once while the gateway keeps accepting and serving as
/// usual for the delay, and only then drains and exits; with 0 it drains at once; a second SIGTERM cuts the delay short. The
/// order of events is checked, never timings (the delay only has to outlast a few requests on a busy machine).
/// </summary>
public sealed class DrainDelayTests
{
    [Fact]
    public async Task DuringTheDelayReadyzIs503WhileANewConnectionIsServedThenTheGatewayDrainsAndExitsZero()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        var environment = ProcessTests.QuickStart(upstream.Url);
        environment["GATEWAY_DRAIN_DELAY"] = "5s";
        using var gateway = GatewayProcess.Start(environment);
        var (listen, admin) = await gateway.ServingAsync();
        var adminClient = new AdminClient(ProcessTests.EndPointOf(admin));
        Assert.Equal(200, (await adminClient.GetAsync("/readyz")).Status);
        await using var kept = await RawConnection.OpenAsync(ProcessTests.EndPointOf(listen));
        await kept.SendAsync("GET /before HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(200, (await kept.ReadResponseAsync()).Status);

        await gateway.TerminateAsync();
        await Wait.UntilAsync(() => gateway.StandardError.Contains("stopping: /readyz answers 503", StringComparison.Ordinal), "the drain delay to begin");
        Assert.Equal(503, (await adminClient.GetAsync("/readyz")).Status);
        await using (var late = await RawConnection.OpenAsync(ProcessTests.EndPointOf(listen)))
        {
            await late.SendAsync("GET /during-delay HTTP/1.1\r\nHost: a\r\n\r\n");
            var response = await late.ReadResponseAsync();
            Assert.Equal(200, response.Status);
            Assert.Equal("upstream GET /during-delay", response.BodyText);
            Assert.False(response.ConnectionHas("close"), "a connection made during the delay is served as usual");
        }

        await kept.SendAsync("GET /kept HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(200, (await kept.ReadResponseAsync()).Status);
        Assert.Equal(0, await gateway.WaitForExitAsync());

        var stderr = gateway.StandardError;
        Assert.True(
            stderr.IndexOf("stopping: /readyz answers 503", StringComparison.Ordinal) < stderr.IndexOf("gateway: draining:", StringComparison.Ordinal)
            && stderr.IndexOf("gateway: draining:", StringComparison.Ordinal) < stderr.IndexOf("gateway: drained in", StringComparison.Ordinal),
            $"the delay, then the drain, then its end: {stderr}");
        Assert.Equal(["/before", "/during-delay", "/kept"], upstream.Requests.Select(r => r.Target));
    }

    [Fact]
    public async Task WithNoDelaySigtermDrainsAtOnceAndExitsZero()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        var environment = ProcessTests.QuickStart(upstream.Url);
        environment["GATEWAY_DRAIN_DELAY"] = "0";
        using var gateway = GatewayProcess.Start(environment);
        var (listen, _) = await gateway.ServingAsync();

        await gateway.TerminateAsync();

        Assert.Equal(0, await gateway.WaitForExitAsync());
        Assert.DoesNotContain("stopping:", gateway.StandardError, StringComparison.Ordinal);
        Assert.Contains("gateway: draining:", gateway.StandardError, StringComparison.Ordinal);
        Assert.Contains("gateway: drained in", gateway.StandardError, StringComparison.Ordinal);
        Assert.True(Ports.Refuses(ProcessTests.EndPointOf(listen)));
    }

    [Fact]
    public async Task ASecondSigtermCutsALongDelayShort()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        var environment = ProcessTests.QuickStart(upstream.Url);
        environment["GATEWAY_DRAIN_DELAY"] = "1h";
        using var gateway = GatewayProcess.Start(environment);
        await gateway.ServingAsync();

        await gateway.TerminateAsync();
        await Wait.UntilAsync(() => gateway.StandardError.Contains("stopping: /readyz answers 503", StringComparison.Ordinal), "the drain delay to begin");
        await gateway.TerminateAsync();

        Assert.Equal(0, await gateway.WaitForExitAsync());
        Assert.Contains("the drain delay is cut short", gateway.StandardError, StringComparison.Ordinal);
    }
}
