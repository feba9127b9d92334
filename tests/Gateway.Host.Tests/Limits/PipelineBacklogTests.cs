using System.Text;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Limits;

/// <summary>
/// A client pipelining far more than GATEWAY_MAX_READ_BUFFER_BYTES ahead is not buffered by the gateway: while a response
/// is in progress the gateway stops reading, so the client's own send stalls; afterwards every request is answered in order.
/// </summary>
public sealed class PipelineBacklogTests
{
    private const int ReadBufferBytes = 16 * 1024;
    private const int Requests = 1200;
    private const int PieceBytes = 16 * 1024;

    /// <summary>
    /// Bytes the client may get rid of while the gateway reads nothing: its own send buffer, the gateway's receive
    /// buffer and read buffer, and the head being parsed, with a wide margin; a quarter of what the client pipelines.
    /// </summary>
    private const int StallBound = 1024 * 1024;

    [Fact]
    public async Task PipelinedBacklogWaitsInTheClientAndIsAnsweredInOrder()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(
            Configs.CatchAll(upstream.Url), s => s with { Transport = s.Transport with { MaxReadBufferBytes = ReadBufferBytes } });
        await using var connection = await RawConnection.OpenAsync(gateway.EndPoint, sendBufferBytes: 16 * 1024);
        var pipelined = Pipeline();
        Assert.True(pipelined.Length > 4 * StallBound);

        var sent = 0L;
        var sending = Task.Run(async () =>
        {
            for (var offset = 0; offset < pipelined.Length; offset += PieceBytes)
            {
                await connection.SendAsync(pipelined.AsMemory(offset, Math.Min(PieceBytes, pipelined.Length - offset)));
                Interlocked.Exchange(ref sent, offset + PieceBytes);
            }
        });
        var reading = Task.Run(async () =>
        {
            var bodies = new List<string>();
            for (var i = 0; i < Requests; i++)
            {
                bodies.Add((await connection.ReadResponseAsync()).BodyText);
            }

            return bodies;
        });

        await Wait.UntilAsync(() => upstream.Holding == 1, "the first request to be held at the upstream");
        var stalledAt = await StalledAsync(() => Interlocked.Read(ref sent));

        Assert.True(stalledAt <= StallBound, $"the client sent {stalledAt} bytes while the gateway was busy with one request");
        Assert.Equal(1, upstream.Arrivals);
        upstream.ReleaseHeld();
        await Wait.ForAsync(sending, "the client to send the whole pipeline");
        var bodies = await Wait.ForAsync(reading, "every pipelined response");
        Assert.Equal(Enumerable.Range(0, Requests).Select(i => i == 0 ? "released" : $"upstream GET /p/{i}"), bodies);
    }

    /// <summary>The first request is held at the upstream; each of the rest carries a 4 KB field so the whole is megabytes.</summary>
    private static byte[] Pipeline()
    {
        var pad = new string('p', 4000);
        var text = new StringBuilder("GET /hold HTTP/1.1\r\nHost: a\r\n\r\n");
        for (var i = 1; i < Requests; i++)
        {
            text.Append($"GET /p/{i} HTTP/1.1\r\nHost: a\r\nX-Pad: {pad}\r\n\r\n");
        }

        return Encoding.Latin1.GetBytes(text.ToString());
    }

    /// <summary>
    /// Waits until <paramref name="progress"/> stops growing for a second or passes <see cref="StallBound"/>, and returns it.
    /// A slow machine can only make the returned value smaller, never fail the test by itself.
    /// </summary>
    private static async Task<long> StalledAsync(Func<long> progress)
    {
        var last = -1L;
        while (progress() is var now && now != last && now <= StallBound)
        {
            last = now;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        return progress();
    }
}
