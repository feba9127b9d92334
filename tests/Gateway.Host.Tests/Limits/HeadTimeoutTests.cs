using Gateway.Core.Tests.RateLimiting;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Limits;

/// <summary>
/// A request head that does not complete within RequestHeadersTimeout gets 408 and the connection closes (the slowloris
/// defence). The gateway's clock is moved by the test, so the deadlines hold however slow the machine is.
/// </summary>
public sealed class HeadTimeoutTests
{
    private static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(1);
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task PartialHeadPastTheDeadlineIs408()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream);
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("GET /slow HTTP/1.1\r\nHost: a\r\nX-Partial: ");
        var answered = connection.ReadResponseAsync();
        var moved = await Wait.AdvancingAsync(_clock, answered, "the 408");

        var response = await answered;
        Problem.AssertIs(408, response);
        Assert.True(response.ConnectionHas("close"));
        Assert.True(moved >= HeadTimeout, $"cut off after {moved} of the gateway's time, before the deadline");
        Assert.True(await connection.WaitForCloseAsync(), "the gateway should close after the head timeout");
        Assert.Equal(0, upstream.Arrivals);
    }

    [Fact]
    public async Task TricklingHeaderBytesDoNotExtendTheDeadline()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream);
        await using var connection = await gateway.ConnectAsync();
        await connection.SendAsync("GET /slow HTTP/1.1\r\nHost: a\r\n");

        // Keep sending header lines as a slowloris client would, one per step of the clock; the deadline counts from the
        // first byte, so 408 still comes.
        var answered = connection.ReadResponseAsync();
        var dripping = connection.TrickleAsync(i => $"X-Drip-{i}: 1\r\n", answered);
        await Wait.AdvancingAsync(_clock, answered, "the 408");
        await dripping;

        Problem.AssertIs(408, await answered);
        Assert.Equal(0, upstream.Arrivals);
    }

    [Fact]
    public async Task ConnectionThatNeverSendsIsClosedWithoutAResponse()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream);
        await using var connection = await gateway.ConnectAsync();

        var closed = connection.WaitForCloseAsync();
        await Wait.AdvancingAsync(_clock, closed, "the silent connection to close");
        Assert.True(await closed, "the gateway should close a silent connection without writing anything");
    }

    private Task<TestGateway> StartAsync(RecordingUpstream upstream) =>
        TestGateway.StartAsync(Configs.CatchAll(upstream.Url), s => s with { Clock = _clock, Limits = s.Limits with { RequestHeadersTimeout = HeadTimeout } });
}
