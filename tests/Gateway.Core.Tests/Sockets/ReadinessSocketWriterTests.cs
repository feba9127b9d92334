using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Gateway.Core.Sockets;
using Microsoft.AspNetCore.Connections;
using static Gateway.Core.Tests.Sockets.ReadinessSocketTests;

namespace Gateway.Core.Tests.Sockets;

/// <summary>
/// The pipe writer that sends each flush straight to a readiness socket, over real loopback connections: what is written
/// arrives whole and in order whether it fits the kernel's buffers or must wait for the peer to read; nothing stays
/// buffered after a flush; a flush can be cancelled and its bytes go with the next; a failed send, completion and abort reach
/// the caller and the peer as a transport's would.
/// </summary>
public sealed class ReadinessSocketWriterTests
{
    private static readonly TimeSpan Bound = LoopbackPair.Bound;

    [Fact]
    public async Task PiecesWrittenThenFlushedArriveInOrderAndNothingStaysBuffered()
    {
        using var pair = await LoopbackPair.ConnectedAsync();
        var writer = new ReadinessSocketWriter(pair.Socket, failuresAsAborted: true);

        writer.Write("HTTP/1.1 200 OK\r\n"u8);
        writer.Write("Content-Length: 2\r\n\r\n"u8);
        writer.Write("ok"u8);
        Assert.Equal(40, writer.UnflushedBytes);
        var result = await writer.FlushAsync().AsTask().WaitAsync(Bound);

        Assert.False(result.IsCanceled || result.IsCompleted);
        Assert.Equal(0, writer.UnflushedBytes);
        Assert.Equal("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8.ToArray(), await PeerReceiveExactlyAsync(pair.Peer, 40));
    }

    [Fact]
    public async Task AFlushTheKernelCannotTakeAtOnceWaitsForThePeerAndEveryByteArrivesInOrder()
    {
        using var pair = await LoopbackPair.ConnectedAsync();
        var writer = new ReadinessSocketWriter(pair.Socket, failuresAsAborted: true);
        var message = RandomBytes(8 << 20);

        // Pieces of several sizes, one larger than a rented buffer's least size, across many buffers.
        WriteInPieces(writer, message);
        var flushing = writer.FlushAsync().AsTask();
        Assert.False(flushing.IsCompleted, "8 MiB the peer has not read cannot all fit in the kernel's buffers");
        var received = await PeerReceiveExactlyAsync(pair.Peer, message.Length, 64 * 1024);
        await flushing.WaitAsync(Bound);

        Assert.True(message.AsSpan().SequenceEqual(received), "the bytes the peer read differ from those written");
        Assert.Equal(0, writer.UnflushedBytes);
    }

    [Fact]
    public async Task ACancelledFlushReturnsCancelledAndItsBytesGoWithTheNextFlush()
    {
        using var pair = await LoopbackPair.ConnectedAsync();
        var writer = new ReadinessSocketWriter(pair.Socket, failuresAsAborted: true);
        var message = RandomBytes(8 << 20);

        WriteInPieces(writer, message);
        var flushing = writer.FlushAsync().AsTask();
        Assert.False(flushing.IsCompleted);
        writer.CancelPendingFlush();
        Assert.True((await flushing.WaitAsync(Bound)).IsCanceled);
        Assert.True(writer.UnflushedBytes > 0, "what the kernel did not take stays buffered");

        var receiving = PeerReceiveExactlyAsync(pair.Peer, message.Length, 64 * 1024);
        var again = await writer.FlushAsync().AsTask().WaitAsync(Bound);
        Assert.False(again.IsCanceled);
        var received = await receiving;
        Assert.True(message.AsSpan().SequenceEqual(received), "the bytes the peer read differ from those written");
    }

    [Fact]
    public async Task CancellingWhileNoFlushWaitsCancelsTheNextFlushOnly()
    {
        using var pair = await LoopbackPair.ConnectedAsync();
        var writer = new ReadinessSocketWriter(pair.Socket, failuresAsAborted: true);

        writer.CancelPendingFlush();
        writer.Write("kept"u8);
        Assert.True((await writer.FlushAsync()).IsCanceled);
        Assert.False((await writer.FlushAsync()).IsCanceled);

        Assert.Equal("kept"u8.ToArray(), await PeerReceiveExactlyAsync(pair.Peer, 4));
    }

    [Fact]
    public async Task AFlushWaitingWhenItsTokenIsCancelledThrows()
    {
        using var pair = await LoopbackPair.ConnectedAsync();
        var writer = new ReadinessSocketWriter(pair.Socket, failuresAsAborted: false);
        using var cancellation = new CancellationTokenSource();

        WriteInPieces(writer, RandomBytes(8 << 20));
        var flushing = writer.FlushAsync(cancellation.Token).AsTask();
        Assert.False(flushing.IsCompleted);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => flushing.WaitAsync(Bound));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task APeerThatResetFailsTheFlushAndEveryLaterOneAsTheOwnerAsked(bool failuresAsAborted)
    {
        using var pair = await LoopbackPair.ConnectedAsync();
        var writer = new ReadinessSocketWriter(pair.Socket, failuresAsAborted);
        pair.Peer.LingerState = new LingerOption(true, 0);
        pair.Peer.Close();

        // A send racing the reset may still be taken by the kernel; the reset (or the broken pipe after it) is reported by a later one.
        Exception? failure = null;
        for (var i = 0; i < 100 && failure is null; i++)
        {
            writer.Write(RandomBytes(1024));
            failure = await Record.ExceptionAsync(() => writer.FlushAsync().AsTask().WaitAsync(Bound));
        }

        var socketError = failuresAsAborted
            ? Assert.IsType<ConnectionAbortedException>(failure).InnerException
            : failure;
        var code = Assert.IsType<SocketException>(Assert.IsType<IOException>(socketError).InnerException).SocketErrorCode;
        Assert.Contains(code, new[] { SocketError.ConnectionReset, SocketError.Shutdown });
        writer.Write("more"u8);
        Assert.Same(failure, await Record.ExceptionAsync(() => writer.FlushAsync().AsTask()));
    }

    [Fact]
    public async Task CompletingSendsWhatWasLeftAndEndsTheConnection()
    {
        using var pair = await LoopbackPair.AcceptedAsync();
        var writer = new ReadinessSocketWriter(pair.Socket, failuresAsAborted: true);

        writer.Write("flushed "u8);
        await writer.FlushAsync();
        writer.Write("and the rest"u8);
        await writer.CompleteAsync().AsTask().WaitAsync(Bound);

        Assert.Equal("flushed and the rest"u8.ToArray(), await PeerReceiveExactlyAsync(pair.Peer, 20));
        Assert.Equal(0, await pair.Peer.ReceiveAsync(new byte[16]).WaitAsync(Bound));
    }

    [Fact]
    public async Task AbortingTheSocketFailsAFlushWaitingForRoom()
    {
        using var pair = await LoopbackPair.ConnectedAsync();
        var writer = new ReadinessSocketWriter(pair.Socket, failuresAsAborted: true);

        WriteInPieces(writer, RandomBytes(8 << 20));
        var flushing = writer.FlushAsync().AsTask();
        Assert.False(flushing.IsCompleted);
        pair.Socket.Abort();

        await Assert.ThrowsAsync<ConnectionAbortedException>(() => flushing.WaitAsync(Bound));
    }

    [Fact]
    public async Task WritingAfterCompletionIsRefused()
    {
        using var pair = await LoopbackPair.ConnectedAsync();
        var writer = new ReadinessSocketWriter(pair.Socket, failuresAsAborted: true);

        writer.Complete();

        Assert.Throws<ObjectDisposedException>(() => writer.GetMemory());
    }

    /// <summary>Writes <paramref name="message"/> through <paramref name="writer"/> in pieces of 1 byte to 64 KiB, without flushing.</summary>
    private static void WriteInPieces(PipeWriter writer, byte[] message)
    {
        int[] sizes = [1, 100, 4096, 5000, 64 * 1024];
        for (int offset = 0, i = 0; offset < message.Length; i++)
        {
            var size = Math.Min(sizes[i % sizes.Length], message.Length - offset);
            writer.Write(message.AsSpan(offset, size));
            offset += size;
        }
    }
}
