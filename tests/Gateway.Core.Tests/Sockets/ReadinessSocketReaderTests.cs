using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Gateway.Core.Sockets;
using Microsoft.AspNetCore.Connections;
using static Gateway.Core.Tests.Sockets.ReadinessSocketTests;

namespace Gateway.Core.Tests.Sockets;

/// <summary>
/// The pipe reader that receives from a client's readiness socket when the application reads, over real loopback
/// connections: bytes arrive whole and in order, a read waits for bytes only when everything was examined, a cancelled read
/// leaves the stream intact, the end and a reset reach the reader as Kestrel's transports report them, the unread bytes are
/// bounded, and the connection's end is reported even while nobody reads.
/// </summary>
public sealed class ReadinessSocketReaderTests
{
    private static readonly TimeSpan Bound = LoopbackPair.Bound;

    [Fact]
    public async Task AReadWaitsForBytesAndThenGetsThem()
    {
        using var pair = await LoopbackPair.AcceptedAsync();
        var reader = new ReadinessSocketReader(pair.Socket, 1 << 20);

        var read = reader.ReadAsync();
        Assert.False(read.IsCompleted, "nothing was sent yet, so the read must wait");
        await pair.Peer.SendAsync("GET / HTTP/1.1\r\n"u8.ToArray()).WaitAsync(Bound);
        var result = await read.AsTask().WaitAsync(Bound);

        Assert.Equal("GET / HTTP/1.1\r\n"u8.ToArray(), result.Buffer.ToArray());
        Assert.False(result.IsCompleted);
        reader.AdvanceTo(result.Buffer.End);
    }

    [Fact]
    public async Task BytesExaminedButNotConsumedComeBackWithTheNextOnesAfterAWait()
    {
        using var pair = await LoopbackPair.AcceptedAsync();
        var reader = new ReadinessSocketReader(pair.Socket, 1 << 20);
        await pair.Peer.SendAsync("GET / HT"u8.ToArray()).WaitAsync(Bound);

        var first = await reader.ReadAsync().AsTask().WaitAsync(Bound);
        reader.AdvanceTo(first.Buffer.Start, first.Buffer.End);
        var second = reader.ReadAsync();
        Assert.False(second.IsCompleted, "everything was examined, so the next read must wait for more bytes");
        await pair.Peer.SendAsync("TP/1.1\r\n"u8.ToArray()).WaitAsync(Bound);
        var result = await second.AsTask().WaitAsync(Bound);

        Assert.Equal("GET / HTTP/1.1\r\n"u8.ToArray(), result.Buffer.ToArray());
        reader.AdvanceTo(result.Buffer.End);
    }

    [Fact]
    public async Task AMessageLargerThanTheBufferArrivesWholeWhenTheApplicationConsumesItInSmallPieces()
    {
        using var pair = await LoopbackPair.AcceptedAsync();
        var reader = new ReadinessSocketReader(pair.Socket, 1 << 20);
        var message = RandomBytes(4 << 20);

        var sending = pair.Peer.SendAsync(message);
        var received = new byte[message.Length];
        var total = 0;
        while (total < message.Length)
        {
            var result = await reader.ReadAsync().AsTask().WaitAsync(Bound);
            Assert.False(result.IsCompleted, $"the stream ended after {total} bytes");

            // Consume at most 5000 bytes a read: what is left comes back first, without waiting, with what came since.
            var taken = result.Buffer.Slice(0, Math.Min(5000, result.Buffer.Length));
            taken.CopyTo(received.AsSpan(total));
            total += (int)taken.Length;
            reader.AdvanceTo(taken.End);
        }

        await sending.WaitAsync(Bound);
        Assert.True(message.AsSpan().SequenceEqual(received), "the bytes read differ from those sent");
    }

    [Fact]
    public async Task CancellingAWaitingReadEndsItAsCancelledAndTheNextReadGetsTheBytes()
    {
        using var pair = await LoopbackPair.AcceptedAsync();
        var reader = new ReadinessSocketReader(pair.Socket, 1 << 20);

        var read = reader.ReadAsync();
        Assert.False(read.IsCompleted);
        await Task.Run(reader.CancelPendingRead);
        var cancelled = await read.AsTask().WaitAsync(Bound);
        Assert.True(cancelled.IsCanceled);
        reader.AdvanceTo(cancelled.Buffer.Start);

        await pair.Peer.SendAsync("after"u8.ToArray()).WaitAsync(Bound);
        var result = await reader.ReadAsync().AsTask().WaitAsync(Bound);
        Assert.False(result.IsCanceled);
        Assert.Equal("after"u8.ToArray(), result.Buffer.ToArray());
    }

    [Fact]
    public async Task CancellingWhileNoReadWaitsCancelsTheNextReadOnly()
    {
        using var pair = await LoopbackPair.AcceptedAsync();
        var reader = new ReadinessSocketReader(pair.Socket, 1 << 20);

        reader.CancelPendingRead();
        var cancelled = await reader.ReadAsync().AsTask().WaitAsync(Bound);
        Assert.True(cancelled.IsCanceled);
        reader.AdvanceTo(cancelled.Buffer.Start);

        var next = reader.ReadAsync();
        Assert.False(next.IsCompleted, "only one read is cancelled; the next waits for bytes");
        await pair.Peer.SendAsync("bytes"u8.ToArray()).WaitAsync(Bound);
        Assert.Equal("bytes"u8.ToArray(), (await next.AsTask().WaitAsync(Bound)).Buffer.ToArray());
    }

    [Fact]
    public async Task AReadWhoseTokenIsCancelledThrowsAndTheStreamGoesOn()
    {
        using var pair = await LoopbackPair.AcceptedAsync();
        var reader = new ReadinessSocketReader(pair.Socket, 1 << 20);
        using var cancellation = new CancellationTokenSource();

        var read = reader.ReadAsync(cancellation.Token);
        Assert.False(read.IsCompleted);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.AsTask().WaitAsync(Bound));

        await pair.Peer.SendAsync("still here"u8.ToArray()).WaitAsync(Bound);
        Assert.Equal("still here"u8.ToArray(), (await reader.ReadAsync().AsTask().WaitAsync(Bound)).Buffer.ToArray());
    }

    [Fact]
    public async Task BytesThenThePeerClosingAreReadAndThenTheEndIsReportedToEveryRead()
    {
        using var pair = await LoopbackPair.AcceptedAsync();
        var reader = new ReadinessSocketReader(pair.Socket, 1 << 20);
        await pair.Peer.SendAsync("last words"u8.ToArray()).WaitAsync(Bound);
        pair.Peer.Shutdown(SocketShutdown.Send);

        var collected = new List<byte>();
        ReadResult result;
        do
        {
            result = await reader.ReadAsync().AsTask().WaitAsync(Bound);
            collected.AddRange(result.Buffer.ToArray());
            reader.AdvanceTo(result.Buffer.End);
        }
        while (!result.IsCompleted);

        Assert.Equal("last words"u8.ToArray(), collected.ToArray());
        Assert.True((await reader.ReadAsync().AsTask().WaitAsync(Bound)).IsCompleted);
    }

    [Fact]
    public async Task APeerThatResetFailsTheReadWithConnectionReset()
    {
        using var pair = await LoopbackPair.AcceptedAsync();
        var reader = new ReadinessSocketReader(pair.Socket, 1 << 20);

        var read = reader.ReadAsync();
        Assert.False(read.IsCompleted);
        pair.Peer.LingerState = new LingerOption(true, 0);
        pair.Peer.Close();

        await Assert.ThrowsAsync<ConnectionResetException>(() => read.AsTask().WaitAsync(Bound));
        await Assert.ThrowsAsync<ConnectionResetException>(() => reader.ReadAsync().AsTask().WaitAsync(Bound));
    }

    [Fact]
    public async Task MoreUnconsumedBytesThanTheLimitFailTheReadInsteadOfGrowingWithoutEnd()
    {
        using var pair = await LoopbackPair.AcceptedAsync();
        var limit = 4 * ReadinessSocketReader.ReceiveBufferSize;
        var reader = new ReadinessSocketReader(pair.Socket, limit);
        var sending = pair.Peer.SendAsync(RandomBytes(2 * limit));

        // An application that examines everything and never consumes (a head that never ends, were there no head limit).
        var failure = await Record.ExceptionAsync(async () =>
        {
            while (true)
            {
                var result = await reader.ReadAsync().AsTask().WaitAsync(Bound);
                Assert.True(result.Buffer.Length <= limit, $"{result.Buffer.Length} bytes held unconsumed, past the limit of {limit}");
                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
        });

        Assert.IsType<IOException>(failure);
        Assert.Contains($"{limit} bytes", failure.Message, StringComparison.Ordinal);
        pair.Peer.Close();
        await Record.ExceptionAsync(() => sending);
    }

    [Fact]
    public async Task TheEndOfTheConnectionIsReportedWhileNobodyReads()
    {
        using var pair = await LoopbackPair.AcceptedAsync();
        var hungUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pair.Socket.OnHangUp(() => hungUp.TrySetResult());

        Assert.False(hungUp.Task.IsCompleted);
        pair.Peer.Close();

        await hungUp.Task.WaitAsync(Bound);
    }

    [Fact]
    public async Task AnEndAlreadyReportedIsReportedAtOnceToALateObserver()
    {
        using var pair = await LoopbackPair.AcceptedAsync();
        pair.Socket.Abort();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pair.Socket.OnHangUp(() => first.TrySetResult());
        await first.Task.WaitAsync(Bound);

        // Once reported, a later observer hears of it at once, on its own thread.
        var reported = false;
        pair.Socket.OnHangUp(() => reported = true);
        Assert.True(reported);
    }
}
