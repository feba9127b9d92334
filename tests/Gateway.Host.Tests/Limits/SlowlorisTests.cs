using Gateway.Core.Tests.RateLimiting;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Limits;

/// <summary>
/// The slowloris attack: hundreds of connections each trickling a request head never complete it. They must not keep a
/// normal client from being served, and each is cut off (408, then closed) once the head deadline has passed. The
/// gateway's clock is moved by the test, so the deadline holds however slow the machine is.
/// </summary>
public sealed class SlowlorisTests
{
    private const int SlowClients = 300;
    private static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DripEvery = TimeSpan.FromMilliseconds(500);
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task TricklingConnectionsDoNotStopANormalClientAndAreCutOffAtTheDeadline()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(
            Configs.CatchAll(upstream.Url), s => s with { Clock = _clock, Limits = s.Limits with { RequestHeadersTimeout = HeadTimeout } });
        var slow = new List<RawConnection>();
        try
        {
            for (var i = 0; i < SlowClients; i++)
            {
                slow.Add(await gateway.ConnectAsync());
            }

            var verdicts = new List<Task<(RawResponse? Response, TimeSpan Elapsed)>>();
            foreach (var (connection, i) in slow.Select((c, i) => (c, i)))
            {
                await connection.SendAsync($"GET /slow/{i} HTTP/1.1\r\nHost: a\r\nX-Drip: ");
                verdicts.Add(VerdictAsync(connection, _clock.GetTimestamp()));
            }

            using var stop = new CancellationTokenSource();
            var dripping = DripAsync(slow, stop.Token);

            var normal = await gateway.SendAsync("GET /normal HTTP/1.1\r\nHost: a\r\n\r\n");
            Assert.Equal(200, normal.Status);
            Assert.Equal("upstream GET /normal", normal.BodyText);

            var all = Task.WhenAll(verdicts);
            await Wait.AdvancingAsync(_clock, all, "every slow connection to be cut off");
            var cutOff = await all;
            await stop.CancelAsync();
            await dripping;
            Assert.All(cutOff, verdict =>
            {
                if (verdict.Response is { } response)
                {
                    Problem.AssertIs(408, response);
                    Assert.True(response.ConnectionHas("close"));
                }

                Assert.True(verdict.Elapsed >= HeadTimeout, $"a slow connection was cut off after {verdict.Elapsed} of the gateway's time, before the deadline");
            });
            Assert.Equal(1, upstream.Arrivals);
        }
        finally
        {
            foreach (var connection in slow)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>The gateway's answer on <paramref name="connection"/> (null when it closed without one) and how long after the first byte, on the gateway's clock.</summary>
    private async Task<(RawResponse? Response, TimeSpan Elapsed)> VerdictAsync(RawConnection connection, long firstByte)
    {
        try
        {
            var response = await connection.ReadResponseAsync();
            return (response, _clock.GetElapsedTime(firstByte));
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException)
        {
            return (null, _clock.GetElapsedTime(firstByte));
        }
    }

    /// <summary>
    /// Sends one more header byte on every connection each time the gateway's clock has moved half a second (well inside
    /// the head deadline, which counts from the first byte, not the last), until stopped; connections the gateway closed
    /// are skipped.
    /// </summary>
    private async Task DripAsync(List<RawConnection> connections, CancellationToken stop)
    {
        var open = new List<RawConnection>(connections);
        while (!stop.IsCancellationRequested)
        {
            var round = _clock.GetTimestamp();
            foreach (var connection in open.ToList())
            {
                try
                {
                    await connection.SendAsync("x");
                }
                catch (IOException)
                {
                    open.Remove(connection);
                }
            }

            await Wait.UntilAsync(() => stop.IsCancellationRequested || _clock.GetElapsedTime(round) >= DripEvery, "the gateway's clock to move on");
        }
    }
}
