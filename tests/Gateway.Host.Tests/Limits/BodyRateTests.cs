using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Gateway.Core.Tests.RateLimiting;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Limits;

/// <summary>
/// A request body that the client sends slower than the minimum rate, once the grace has been spent waiting for it,
/// ends in 408 and a cancelled upstream request; time the gateway spends waiting for the upstream is not held against the client.
/// The gateway's clock is moved by the test, so the rate holds however slow the machine is.
/// </summary>
public sealed class BodyRateTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task BodyTricklingBelowTheMinimumRateIs408AndTheUpstreamRequestIsCancelled()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(
            Configs.CatchAll(upstream.Url), s => s with { Clock = _clock, Limits = s.Limits with { MinRequestBodyRate = 1000, MinRequestBodyRateGrace = TimeSpan.FromSeconds(1) } });
        await using var connection = await gateway.ConnectAsync();
        await connection.SendAsync("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n0123456789");

        // A byte now and then while the clock moves: far below 1000 bytes a second of the gateway's time.
        var answered = connection.ReadResponseAsync();
        var trickling = connection.TrickleAsync(_ => "x", answered);
        await Wait.AdvancingAsync(_clock, answered, "the 408");
        await trickling;

        var response = await answered;
        Problem.AssertIs(408, response);
        Assert.True(response.ConnectionHas("close"));
        Assert.True(await connection.WaitForCloseAsync(), "the gateway should close after the body timed out");
        Assert.Equal("/upload", await Wait.ForAsync(upstream.Aborted, "the upstream request to be cancelled"));
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task UpstreamTakingItsTimeToReadDoesNotCountAgainstTheClient()
    {
        const int BodyBytes = 8 * 1024 * 1024;
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(
            Configs.CatchAll(upstream.Url), s => s with { Clock = _clock, Limits = s.Limits with { MinRequestBodyRate = 2_000_000, MinRequestBodyRateGrace = TimeSpan.FromSeconds(1) } });
        await using var connection = await gateway.ConnectAsync();

        // The upstream reads nothing until released: the whole body cannot fit in the buffers between client and upstream,
        // so once they are full the gateway spends its time waiting on the upstream with far fewer bytes received than the
        // rate asks for. The clock moves only then, and in steps, as real time would: a step that found the gateway still
        // reading from the client would count, but the grace absorbs a few.
        var taken = new StrongBox<long>();
        var sent = SendInPiecesAsync(connection, Encoding.Latin1.GetBytes($"POST /late/x HTTP/1.1\r\nHost: a\r\nContent-Length: {BodyBytes}\r\n\r\n")
            .Concat(Payload.Create(BodyBytes)).ToArray(), taken);
        await Wait.UntilAsync(() => upstream.Arrivals == 1, "the request head to reach the upstream");
        await UntilStalledAsync(sent, taken);
        await Wait.AdvanceAsync(_clock, TimeSpan.FromSeconds(4));
        upstream.ReleaseHeld();

        await Wait.ForAsync(sent, "the client to send its whole body");
        var response = await connection.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        Assert.Equal(BodyBytes, Assert.Single(upstream.Requests).BodyLength);
    }

    /// <summary>Sends <paramref name="bytes"/> 64 KiB at a time, counting in <paramref name="taken"/> what the kernel has accepted so far.</summary>
    private static async Task SendInPiecesAsync(RawConnection connection, byte[] bytes, StrongBox<long> taken)
    {
        for (var offset = 0; offset < bytes.Length; offset += 64 * 1024)
        {
            var piece = bytes.AsMemory(offset, Math.Min(64 * 1024, bytes.Length - offset));
            await connection.SendAsync(piece);
            Volatile.Write(ref taken.Value, offset + piece.Length);
        }
    }

    /// <summary>Waits until the client has sent everything, or nothing more has been taken for half a second: the buffers on the way are full.</summary>
    private static Task UntilStalledAsync(Task sending, StrongBox<long> taken)
    {
        var last = -1L;
        var since = 0L;
        return Wait.UntilAsync(
            () =>
            {
                var now = Volatile.Read(ref taken.Value);
                if (now != last)
                {
                    (last, since) = (now, Stopwatch.GetTimestamp());
                }

                return sending.IsCompleted || Stopwatch.GetElapsedTime(since) > TimeSpan.FromMilliseconds(500);
            },
            "the client's body to fill the buffers on the way to the upstream");
    }
}
