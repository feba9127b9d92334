using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gateway.Core.Sockets;
using Gateway.Core.Tests.Upstreams;

namespace Gateway.Core.Tests.Sockets;

/// <summary>
/// The readiness socket over real loopback connections, against a plain socket as its peer: bytes arrive intact both ways
/// whether a read waits, fills its buffer or a send must wait for room; the end, a reset, a refusal, cancellation, abort
/// and disposal reach the caller instead of leaving it waiting; and over a thousand sockets share one loop.
/// </summary>
public sealed class ReadinessSocketTests
{
    /// <summary>How long any single step may take before the test fails instead of hanging.</summary>
    private static readonly TimeSpan Bound = LoopbackPair.Bound;

    // Linux's IPPROTO_TCP, TCP_INFO (whose first byte is the connection's state) and the state TCP_FIN_WAIT2.
    private const int IpProtoTcp = 6;
    private const int TcpInfo = 11;
    private const int TcpFinWait2 = 5;

    [Fact]
    public async Task BytesSentEachWayArriveIntact()
    {
        using var pair = await LoopbackPair.ConnectedAsync();
        var request = "GET / HTTP/1.1\r\nHost: upstream\r\n\r\n"u8.ToArray();
        var response = "HTTP/1.1 204 No Content\r\n\r\n"u8.ToArray();

        await pair.Socket.SendAsync(request).AsTask().WaitAsync(Bound);
        Assert.Equal(request, await PeerReceiveExactlyAsync(pair.Peer, request.Length));

        await pair.Peer.SendAsync(response).WaitAsync(Bound);
        Assert.Equal(response, await ReceiveExactlyAsync(pair.Socket, response.Length, 1024));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheEndPointsAreThoseOfTheConnection(bool connected)
    {
        using var pair = connected ? await LoopbackPair.ConnectedAsync() : await LoopbackPair.AcceptedAsync();

        Assert.Equal(pair.Peer.LocalEndPoint, pair.Socket.RemoteEndPoint);
        Assert.Equal(pair.Peer.RemoteEndPoint, pair.Socket.LocalEndPoint);
    }

    [Fact]
    public async Task AReadPostedBeforeThePeerWritesWaitsAndThenGetsTheBytes()
    {
        using var pair = await LoopbackPair.ConnectedAsync();
        var buffer = new byte[1024];

        var read = pair.Socket.ReceiveAsync(buffer);
        Assert.False(read.IsCompleted, "nothing was sent yet, so the read must wait");
        await pair.Peer.SendAsync("late bytes"u8.ToArray()).WaitAsync(Bound);

        var count = await read.AsTask().WaitAsync(Bound);
        Assert.Equal("late bytes"u8.ToArray(), buffer[..count]);
    }

    [Fact]
    public async Task AReadThatFillsItsBufferLetsTheNextReadGoAheadWithoutWaiting()
    {
        using var pair = await LoopbackPair.AcceptedAsync();
        var message = RandomBytes(64);
        var buffer = new byte[16];

        await pair.Peer.SendAsync(message).WaitAsync(Bound);
        await pair.Socket.WaitReadableAsync().AsTask().WaitAsync(Bound);
        for (var offset = 0; offset < message.Length; offset += buffer.Length)
        {
            if (offset > 0)
            {
                var wait = pair.Socket.WaitReadableAsync();
                Assert.True(wait.IsCompletedSuccessfully, "the last read filled its buffer, so the next one must not wait");
                await wait;
            }

            Assert.Equal(buffer.Length, pair.Socket.Receive(buffer));
            Assert.Equal(message[offset..(offset + buffer.Length)], buffer);
        }

        // The last read filled its buffer too: the next goes ahead, finds nothing, and says so.
        var afterLast = pair.Socket.WaitReadableAsync();
        Assert.True(afterLast.IsCompletedSuccessfully);
        await afterLast;
        Assert.Equal(-1, pair.Socket.Receive(buffer));

        // Drained: now a read waits for the next bytes.
        var next = pair.Socket.WaitReadableAsync();
        Assert.False(next.IsCompleted, "the socket was drained, so the next read must wait for bytes");
        await pair.Peer.SendAsync("more"u8.ToArray()).WaitAsync(Bound);
        await next.AsTask().WaitAsync(Bound);
        Assert.Equal(4, pair.Socket.Receive(buffer));
        Assert.Equal("more"u8.ToArray(), buffer[..4]);
    }

    [Fact]
    public async Task AMessageBiggerThanTheReadBufferArrivesWholeOverSeveralReads()
    {
        using var pair = await LoopbackPair.ConnectedAsync();
        var message = RandomBytes(1 << 20);

        var sending = pair.Peer.SendAsync(message);
        var received = await ReceiveExactlyAsync(pair.Socket, message.Length, 4096);
        await sending.WaitAsync(Bound);

        Assert.True(message.AsSpan().SequenceEqual(received), "the bytes read differ from those sent");
    }

    [Fact]
    public async Task ALargeSendWaitsForThePeerToReadAndEveryByteArrivesInOrder()
    {
        using var pair = await LoopbackPair.ConnectedAsync();
        var message = RandomBytes(8 << 20);

        var sending = pair.Socket.SendAsync(message).AsTask();
        Assert.False(sending.IsCompleted, "8 MiB the peer has not read cannot all fit in the kernel's buffers");
        var received = await PeerReceiveExactlyAsync(pair.Peer, message.Length, 16 * 1024);
        await sending.WaitAsync(Bound);

        Assert.True(message.AsSpan().SequenceEqual(received), "the bytes the peer read differ from those sent");
    }

    [Fact]
    public async Task TrySendWritesWhatFitsAtOnceAndSaysWhenTheRestWouldHaveToWait()
    {
        using var pair = await LoopbackPair.ConnectedAsync();

        Assert.True(pair.Socket.TrySend("fits"u8));
        Assert.Equal("fits"u8.ToArray(), await PeerReceiveExactlyAsync(pair.Peer, 4));

        var tooMuch = RandomBytes(8 << 20);
        Assert.False(pair.Socket.TrySend(tooMuch), "8 MiB the peer has not read cannot all fit in the kernel's buffers");
    }

    [Fact]
    public async Task SendingAndReceivingAtOnceBothComplete()
    {
        using var pair = await LoopbackPair.AcceptedAsync();
        var outgoing = RandomBytes(8 << 20);
        var incoming = RandomBytes(8 << 20);

        var sending = pair.Socket.SendAsync(outgoing).AsTask();
        var peerSending = pair.Peer.SendAsync(incoming);
        var receiving = ReceiveExactlyAsync(pair.Socket, incoming.Length, 64 * 1024);
        var peerReceiving = PeerReceiveExactlyAsync(pair.Peer, outgoing.Length, 64 * 1024);
        await Task.WhenAll(sending, peerSending, receiving, peerReceiving).WaitAsync(Bound);

        var received = await receiving;
        var peerReceived = await peerReceiving;
        Assert.True(incoming.AsSpan().SequenceEqual(received), "the bytes read differ from those the peer sent");
        Assert.True(outgoing.AsSpan().SequenceEqual(peerReceived), "the bytes the peer read differ from those sent");
    }

    [Fact]
    public async Task ThePeerClosingEndsTheStream()
    {
        using var pair = await LoopbackPair.ConnectedAsync();
        var buffer = new byte[1024];

        var read = pair.Socket.ReceiveAsync(buffer);
        pair.Peer.Close();

        Assert.Equal(0, await read.AsTask().WaitAsync(Bound));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task BytesFollowedByThePeerClosingAreReadAndThenTheEndIsReported(bool connected)
    {
        using var pair = connected ? await LoopbackPair.ConnectedAsync() : await LoopbackPair.AcceptedAsync();
        var buffer = new byte[1024];

        // An upstream that answers and closes: both the bytes and the end are there before the first read.
        await pair.Peer.SendAsync("last words"u8.ToArray()).WaitAsync(Bound);
        pair.Peer.Shutdown(SocketShutdown.Send);
        await Poll.UntilAsync(() => TcpState(pair.Peer) == TcpFinWait2, "the readiness side to acknowledge the peer's FIN");

        var count = await pair.Socket.ReceiveAsync(buffer).AsTask().WaitAsync(Bound);
        Assert.Equal("last words"u8.ToArray(), buffer[..count]);
        Assert.Equal(0, await pair.Socket.ReceiveAsync(buffer).AsTask().WaitAsync(Bound));
    }

    [Fact]
    public async Task TheEndOfTheStreamIsReportedAgainToALaterRead()
    {
        using var pair = await LoopbackPair.ConnectedAsync();
        var buffer = new byte[1024];
        pair.Peer.Close();

        Assert.Equal(0, await pair.Socket.ReceiveAsync(buffer).AsTask().WaitAsync(Bound));
        Assert.Equal(0, await pair.Socket.ReceiveAsync(buffer).AsTask().WaitAsync(Bound));
    }

    [Fact]
    public async Task ThePeerResettingFailsAWaitingReadWithConnectionReset()
    {
        using var pair = await LoopbackPair.ConnectedAsync();
        var buffer = new byte[1024];

        var read = pair.Socket.ReceiveAsync(buffer);
        Assert.False(read.IsCompleted);
        pair.Peer.LingerState = new LingerOption(true, 0);
        pair.Peer.Close();

        // As a stream reports it (NetworkStream's way), which is what the forwarder looks for to retry on a new connection.
        var error = await Assert.ThrowsAsync<IOException>(() => read.AsTask().WaitAsync(Bound));
        Assert.Equal(SocketError.ConnectionReset, Assert.IsType<SocketException>(error.InnerException).SocketErrorCode);
        await Assert.ThrowsAsync<IOException>(() => pair.Socket.SendAsync(new byte[16]).AsTask().WaitAsync(Bound));
    }

    [Fact]
    public async Task ConnectingToAPortNobodyListensOnIsRefused()
    {
        // Bound but not listening: the port stays taken, and its connections are refused.
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        var error = await Assert.ThrowsAsync<SocketException>(
            () => ReadinessSocket.ConnectAsync(closed.LocalEndPoint!, CancellationToken.None).AsTask().WaitAsync(Bound));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    [Fact]
    public async Task ConnectingToAHostNameWorks()
    {
        using var listener = LoopbackPair.Listen();
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var accepting = listener.AcceptAsync();

        using var socket = await ReadinessSocket.ConnectAsync(new DnsEndPoint("localhost", port), CancellationToken.None).AsTask().WaitAsync(Bound);
        using var peer = await accepting.WaitAsync(Bound);
        await socket.SendAsync("ping"u8.ToArray()).AsTask().WaitAsync(Bound);
        Assert.Equal("ping"u8.ToArray(), await PeerReceiveExactlyAsync(peer, 4));
        await peer.SendAsync("pong"u8.ToArray()).WaitAsync(Bound);
        Assert.Equal("pong"u8.ToArray(), await ReceiveExactlyAsync(socket, 4, 1024));
        Assert.Equal(listener.LocalEndPoint, socket.RemoteEndPoint);
    }

    [Fact]
    public async Task ACancelledReadThrowsAndTheSocketStillReadsAfterwards()
    {
        using var pair = await LoopbackPair.ConnectedAsync();
        var buffer = new byte[1024];
        using var cancellation = new CancellationTokenSource();

        var read = pair.Socket.ReceiveAsync(buffer, cancellation.Token);
        Assert.False(read.IsCompleted);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.AsTask().WaitAsync(Bound));

        // Bytes that came while no read was posted, then bytes that come while one waits.
        await pair.Peer.SendAsync("after"u8.ToArray()).WaitAsync(Bound);
        Assert.Equal("after"u8.ToArray(), await ReceiveExactlyAsync(pair.Socket, 5, 1024));
        var again = pair.Socket.ReceiveAsync(buffer);
        await pair.Peer.SendAsync("again"u8.ToArray()).WaitAsync(Bound);
        var count = await again.AsTask().WaitAsync(Bound);
        Assert.Equal("again"u8.ToArray(), buffer[..count]);
    }

    [Fact]
    public async Task AReadWithAnAlreadyCancelledTokenIsCancelledAndTheSocketStillReadsAfterwards()
    {
        using var pair = await LoopbackPair.ConnectedAsync();
        var buffer = new byte[1024];

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pair.Socket.ReceiveAsync(buffer, new CancellationToken(true)).AsTask().WaitAsync(Bound));

        await pair.Peer.SendAsync("still here"u8.ToArray()).WaitAsync(Bound);
        Assert.Equal("still here"u8.ToArray(), await ReceiveExactlyAsync(pair.Socket, 10, 1024));
    }

    [Fact]
    public async Task AbortingEndsAWaitingReadAndThePeerSeesTheEnd()
    {
        using var pair = await LoopbackPair.AcceptedAsync();
        var buffer = new byte[1024];

        var read = pair.Socket.ReceiveAsync(buffer);
        Assert.False(read.IsCompleted);
        pair.Socket.Abort();

        Assert.Equal(0, await read.AsTask().WaitAsync(Bound));
        Assert.Equal(0, await pair.Peer.ReceiveAsync(buffer).WaitAsync(Bound));
        await Assert.ThrowsAsync<IOException>(() => pair.Socket.SendAsync(new byte[16]).AsTask().WaitAsync(Bound));
    }

    [Fact]
    public async Task AbortingFailsASendWaitingForRoom()
    {
        using var pair = await LoopbackPair.ConnectedAsync();

        var sending = pair.Socket.SendAsync(RandomBytes(8 << 20)).AsTask();
        Assert.False(sending.IsCompleted);
        pair.Socket.Abort();

        await Assert.ThrowsAsync<IOException>(() => sending.WaitAsync(Bound));
    }

    [Fact]
    public async Task ShuttingDownSendingEndsWhatThePeerReceivesButNotWhatItSends()
    {
        using var pair = await LoopbackPair.ConnectedAsync();
        var buffer = new byte[1024];

        await pair.Socket.SendAsync("request"u8.ToArray()).AsTask().WaitAsync(Bound);
        pair.Socket.ShutdownSend();

        Assert.Equal("request"u8.ToArray(), await PeerReceiveExactlyAsync(pair.Peer, 7));
        Assert.Equal(0, await pair.Peer.ReceiveAsync(buffer).WaitAsync(Bound));
        await pair.Peer.SendAsync("response"u8.ToArray()).WaitAsync(Bound);
        Assert.Equal("response"u8.ToArray(), await ReceiveExactlyAsync(pair.Socket, 8, 1024));
    }

    [Fact]
    public async Task DisposingFailsAWaitingReadWithObjectDisposed()
    {
        using var pair = await LoopbackPair.ConnectedAsync();

        var read = pair.Socket.ReceiveAsync(new byte[1024]);
        Assert.False(read.IsCompleted);
        pair.Socket.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => read.AsTask().WaitAsync(Bound));
    }

    [Fact]
    public async Task DisposingFailsASendWaitingForRoomWithObjectDisposed()
    {
        using var pair = await LoopbackPair.ConnectedAsync();

        var sending = pair.Socket.SendAsync(RandomBytes(8 << 20)).AsTask();
        Assert.False(sending.IsCompleted);
        pair.Socket.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => sending.WaitAsync(Bound));
    }

    [Fact]
    public async Task OperationsAfterDisposeFailWithObjectDisposed()
    {
        using var pair = await LoopbackPair.ConnectedAsync();
        var buffer = new byte[1024];
        pair.Socket.Dispose();

        // The wait first: a wait that failed leaves the next one to go ahead and let the read itself fail.
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pair.Socket.WaitReadableAsync().AsTask().WaitAsync(Bound));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pair.Socket.ReceiveAsync(buffer).AsTask().WaitAsync(Bound));
        Assert.Throws<ObjectDisposedException>(() => pair.Socket.Receive(buffer));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pair.Socket.SendAsync(buffer).AsTask().WaitAsync(Bound));
        Assert.Throws<ObjectDisposedException>(pair.Socket.ShutdownSend);

        // Cutting or disposing again is quiet.
        pair.Socket.Abort();
        pair.Socket.Dispose();
    }

    [Fact]
    public async Task BytesSentBeforeTheSocketWasTakenOverAreTheFirstRead()
    {
        using var listener = LoopbackPair.Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!).WaitAsync(Bound);
        using var accepted = await listener.AcceptAsync().WaitAsync(Bound);
        var early = "sent before the takeover"u8.ToArray();
        await client.SendAsync(early).WaitAsync(Bound);
        await Poll.UntilAsync(() => accepted.Available == early.Length, "the early bytes to reach the accepted socket");

        using var socket = ReadinessSocket.Accepted(accepted);
        var buffer = new byte[1024];
        var count = await socket.ReceiveAsync(buffer).AsTask().WaitAsync(Bound);

        Assert.Equal(early, buffer[..count]);
    }

    [Fact]
    public async Task AZeroByteReadWaitsForBytesAndLeavesThemForTheNextRead()
    {
        using var pair = await LoopbackPair.ConnectedAsync();
        var buffer = new byte[1024];

        var probe = pair.Socket.ReceiveAsync(Memory<byte>.Empty);
        Assert.False(probe.IsCompleted, "nothing was sent yet, so even a zero-byte read must wait");
        await pair.Peer.SendAsync("bytes"u8.ToArray()).WaitAsync(Bound);
        Assert.Equal(0, await probe.AsTask().WaitAsync(Bound));

        var count = await pair.Socket.ReceiveAsync(buffer).AsTask().WaitAsync(Bound);
        Assert.Equal("bytes"u8.ToArray(), buffer[..count]);
    }

    [Fact]
    public async Task TwoHundredConnectionsAtOnceEachGetTheirOwnEchoBack() =>
        await EchoOverManyConnectionsAsync(200, onOneLoop: false);

    [SkippableFact]
    public async Task MoreSocketsThanALoopsFirstSlotTableHoldsAllGetTheirEchoBack()
    {
        // 1100 clients opened on one loop's thread are all watched by that loop, past its first 1024 slots.
        const int Connections = 1100;
        var limit = OpenFileLimit();
        Skip.If(limit < 2 * Connections + 1000, $"the process may open only {limit} files");

        var clientSlots = await EchoOverManyConnectionsAsync(Connections, onOneLoop: true);

        Assert.Contains(clientSlots, slot => slot >= 1024);
    }

    /// <summary>
    /// Opens <paramref name="connections"/> connections at once, each end a readiness socket (the clients all on one loop when
    /// <paramref name="onOneLoop"/>), then has each client send a message of its own and read back the server's echo;
    /// returns the loop slots the clients had.
    /// </summary>
    private static async Task<List<int>> EchoOverManyConnectionsAsync(int connections, bool onOneLoop)
    {
        const int MessageLength = 32;
        using var listener = LoopbackPair.Listen(connections);
        var clients = new List<ReadinessSocket>(connections);
        var servers = new List<ReadinessSocket>(connections);
        var echoes = new List<Task>(connections);

        // No synchronization context: what follows each wait runs on a loop's thread, as in the gateway.
        var accepting = Task.Run(async () =>
        {
            for (var i = 0; i < connections; i++)
            {
                var server = ReadinessSocket.Accepted(await listener.AcceptAsync());
                lock (servers)
                {
                    servers.Add(server);
                }

                echoes.Add(EchoAsync(server, MessageLength));
            }
        });

        try
        {
            if (onOneLoop)
            {
                await ConnectOnOneLoopAsync(clients, listener.LocalEndPoint!, connections);
            }
            else
            {
                for (var i = 0; i < connections; i++)
                {
                    clients.Add(await ReadinessSocket.ConnectAsync(listener.LocalEndPoint!, CancellationToken.None).AsTask().WaitAsync(Bound));
                }
            }

            await accepting.WaitAsync(Bound);
            var exchanges = clients.Select((client, i) => Task.Run(() => ExchangeAsync(client, MessageOf(i, MessageLength)))).ToArray();
            await Task.WhenAll(exchanges).WaitAsync(Bound);
            await Task.WhenAll(echoes).WaitAsync(Bound);
            return [.. clients.Select(client => client.Slot)];
        }
        finally
        {
            listener.Dispose();
            clients.ForEach(client => client.Dispose());
            lock (servers)
            {
                servers.ForEach(server => server.Dispose());
            }
        }

        static async Task EchoAsync(ReadinessSocket server, int length)
        {
            var message = await ReceiveExactlyAsync(server, length, 1024);
            await server.SendAsync(message).AsTask().WaitAsync(Bound);
        }

        static async Task ExchangeAsync(ReadinessSocket client, byte[] message)
        {
            await client.SendAsync(message).AsTask().WaitAsync(Bound);
            Assert.Equal(message, await ReceiveExactlyAsync(client, message.Length, 1024));
        }

        static byte[] MessageOf(int connection, int length)
        {
            var message = RandomBytes(length);
            BitConverter.TryWriteBytes(message, connection);
            return message;
        }
    }

    /// <summary>
    /// Connects <paramref name="count"/> readiness sockets to <paramref name="endPoint"/> one after another from a loop's
    /// thread (reached as the code after a read's wait), so that the loop watches them all.
    /// </summary>
    private static async Task ConnectOnOneLoopAsync(List<ReadinessSocket> clients, EndPoint endPoint, int count)
    {
        using var pair = await LoopbackPair.ConnectedAsync();

        // The read waits before the peer sends, so what follows it runs on the loop's thread when the byte comes.
        var connecting = ConnectAfterReadAsync(pair.Socket);
        await pair.Peer.SendAsync(new byte[1]);
        await connecting.WaitAsync(Bound);

        async Task ConnectAfterReadAsync(ReadinessSocket trigger)
        {
            Assert.Equal(1, await trigger.ReceiveAsync(new byte[1]).ConfigureAwait(false));
            Assert.StartsWith("Gateway epoll", Thread.CurrentThread.Name ?? "");
            var loopThread = Environment.CurrentManagedThreadId;
            for (var i = 0; i < count; i++)
            {
                // Each connect resumes on the loop watching the new socket: the same loop, the one that picked it.
                clients.Add(await ReadinessSocket.ConnectAsync(endPoint, CancellationToken.None).ConfigureAwait(false));
                Assert.Equal(loopThread, Environment.CurrentManagedThreadId);
            }
        }
    }

    /// <summary>Reads exactly <paramref name="length"/> bytes from the readiness socket, at most <paramref name="bufferSize"/> a read; fails if the stream ends first.</summary>
    private static async Task<byte[]> ReceiveExactlyAsync(ReadinessSocket socket, int length, int bufferSize)
    {
        var received = new byte[length];
        var total = 0;
        while (total < length)
        {
            var count = await socket.ReceiveAsync(received.AsMemory(total, Math.Min(bufferSize, length - total))).AsTask().WaitAsync(Bound);
            Assert.True(count > 0, $"the stream ended after {total} of {length} bytes");
            total += count;
        }

        return received;
    }

    /// <summary>Reads exactly <paramref name="length"/> bytes from the plain peer socket; fails if the stream ends first.</summary>
    internal static async Task<byte[]> PeerReceiveExactlyAsync(Socket peer, int length, int bufferSize = 1024)
    {
        var received = new byte[length];
        var total = 0;
        while (total < length)
        {
            var count = await peer.ReceiveAsync(received.AsMemory(total, Math.Min(bufferSize, length - total))).AsTask().WaitAsync(Bound);
            Assert.True(count > 0, $"the peer's stream ended after {total} of {length} bytes");
            total += count;
        }

        return received;
    }

    internal static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    /// <summary>The kernel's state of the TCP connection (TCP_ESTABLISHED, TCP_FIN_WAIT2...).</summary>
    private static int TcpState(Socket socket)
    {
        Span<byte> info = stackalloc byte[8];
        socket.GetRawSocketOption(IpProtoTcp, TcpInfo, info);
        return info[0];
    }

    /// <summary>The process's soft limit on open files.</summary>
    private static long OpenFileLimit()
    {
        const string Prefix = "Max open files";
        var line = File.ReadLines("/proc/self/limits").FirstOrDefault(candidate => candidate.StartsWith(Prefix, StringComparison.Ordinal));
        var soft = line?[Prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return soft switch
        {
            null => 0,
            "unlimited" => long.MaxValue,
            _ => long.Parse(soft, CultureInfo.InvariantCulture),
        };
    }
}
