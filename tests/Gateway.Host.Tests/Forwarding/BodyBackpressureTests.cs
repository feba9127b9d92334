using System.Net.Sockets;
using System.Text;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Forwarding;

/// <summary>
/// Bodies stream with backpressure both ways: a peer that stops reading holds the other side back after a bounded amount
/// (the kernel's socket buffers and the gateway's few buffers), never a whole body, and a client that leaves mid-body frees
/// the upstream connection.
/// </summary>
public sealed class BodyBackpressureTests
{
    /// <summary>Far more than any socket buffers on the way can hold, so a body buffered whole would show.</summary>
    private const long BodyBytes = 1L << 30;

    /// <summary>What may pass before the reader stops it: kernel buffers on two connections (auto-tuned, a few MiB each) and the gateway's own.</summary>
    private const long Bound = 128L << 20;

    [Fact]
    public async Task ClientThatStopsReadingHoldsTheUpstreamBack()
    {
        await using var upstream = StreamingUpstream.Start(BodyBytes);
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        using var client = await ConnectAsync(gateway);

        await client.SendAsync(Encoding.ASCII.GetBytes("GET /large HTTP/1.1\r\nHost: a\r\n\r\n"));
        await client.ReceiveAsync(new byte[1]);

        Assert.InRange(await SettledAsync(() => upstream.Sent, "the upstream to be held back"), 1, Bound);
    }

    [Fact]
    public async Task UpstreamThatStopsReadingHoldsTheClientBack()
    {
        await using var upstream = StreamingUpstream.Start(bodyBytes: 0);
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url), limits => limits with { MaxRequestBodyBytes = BodyBytes });
        using var client = await ConnectAsync(gateway);
        var sent = 0L;
        await client.SendAsync(Encoding.ASCII.GetBytes($"PUT /large HTTP/1.1\r\nHost: a\r\nContent-Length: {BodyBytes}\r\n\r\n"));
        var sending = Task.Run(async () =>
        {
            var chunk = Payload.Create(64 * 1024);
            while (Interlocked.Read(ref sent) < BodyBytes)
            {
                Interlocked.Add(ref sent, await client.SendAsync(chunk));
            }
        });

        await Wait.ForAsync(upstream.HeadRead, "the request head to reach the upstream");
        Assert.InRange(await SettledAsync(() => Interlocked.Read(ref sent), "the client to be held back"), 1, Bound);

        client.Dispose();
        await Assert.ThrowsAnyAsync<Exception>(() => sending);
    }

    [Fact]
    public async Task ClientLeavingMidBodyClosesTheUpstreamConnection()
    {
        await using var upstream = StreamingUpstream.Start(BodyBytes);
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        using (var leaving = await ConnectAsync(gateway))
        {
            await leaving.SendAsync(Encoding.ASCII.GetBytes("GET /large HTTP/1.1\r\nHost: a\r\n\r\n"));
            await leaving.ReceiveAsync(new byte[4096]);
            await Wait.UntilAsync(() => upstream.Sent > 0, "the body to start flowing");
        }

        await Wait.ForAsync(upstream.ClosedMidBody, "the gateway to close the upstream connection");

        // The next request is answered over a new upstream connection: the cut one was not pooled.
        using var next = await ConnectAsync(gateway);
        await next.SendAsync(Encoding.ASCII.GetBytes("GET /large HTTP/1.1\r\nHost: a\r\n\r\n"));
        var head = new byte[12];
        Assert.Equal(12, await next.ReceiveAsync(head));
        Assert.Equal("HTTP/1.1 200", Encoding.ASCII.GetString(head));
        Assert.Equal(2, upstream.Connections);
    }

    /// <summary>A client socket with a small fixed receive buffer (no auto-tuning), so that not reading stops it soon.</summary>
    private static async Task<Socket> ConnectAsync(TestGateway gateway)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 64 * 1024, SendBufferSize = 64 * 1024 };
        using var deadline = Wait.Deadline();
        await socket.ConnectAsync(gateway.EndPoint, deadline.Token);
        return socket;
    }

    /// <summary>Waits until <paramref name="progress"/> has moved and then stopped moving for a while; returns where it stopped.</summary>
    private static async Task<long> SettledAsync(Func<long> progress, string what)
    {
        var last = -1L;
        var unchanged = 0;
        await Wait.UntilAsync(
            () =>
            {
                var now = progress();
                unchanged = now > 0 && now == last ? unchanged + 1 : 0;
                last = now;
                return unchanged >= 25;
            },
            what);
        return last;
    }
}
