using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Lifecycle;

/// <summary>Stopping the gateway refuses new connections, closes idle ones, and lets requests in flight finish.</summary>
public sealed class GracefulDrainTests
{
    [Fact]
    public async Task StopFinishesInFlightRequestsClosesIdleOnesAndRefusesNewOnes()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        await using var idle = await gateway.ConnectAsync();
        await idle.SendAsync("GET /warm HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(200, (await idle.ReadResponseAsync()).Status);
        await using var busy = await gateway.ConnectAsync();
        await busy.SendAsync("GET /hold HTTP/1.1\r\nHost: a\r\n\r\n");
        await Wait.UntilAsync(() => upstream.Holding == 1, "the upstream to be working on the in-flight request");

        var stopping = gateway.Server.StopAsync();

        Assert.True(await idle.WaitForCloseAsync(), "the idle keep-alive connection should be closed");
        await Wait.UntilAsync(() => Ports.Refuses(gateway.EndPoint), "new connections to be refused");
        Assert.False(stopping.IsCompleted, "stop should wait for the in-flight request");
        upstream.ReleaseHeld();
        var response = await busy.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        Assert.Equal("released", response.BodyText);
        Assert.True(response.ConnectionHas("close"));
        await Wait.ForAsync(stopping, "the gateway to finish stopping");
    }
}
