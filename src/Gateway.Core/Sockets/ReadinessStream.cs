namespace Gateway.Core.Sockets;

/// <summary>A <see cref="ReadinessSocket"/> as a stream (for TLS over it, and for the upstream connection's reader and writer); it owns the socket.</summary>
internal sealed class ReadinessStream(ReadinessSocket socket) : Stream
{
    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc/>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        socket.ReceiveAsync(buffer, cancellationToken);

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        socket.SendAsync(buffer, cancellationToken);

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    /// <remarks>Never used: a blocking read could block the epoll thread that would wake it.</remarks>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Readiness sockets are read asynchronously.");

    /// <inheritdoc/>
    /// <remarks>
    /// Writes only what the socket takes at once (a pipe writer completed synchronously flushes this way, e.g. on close):
    /// a write that would have to wait fails instead, since it could block the epoll thread that would wake it.
    /// </remarks>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!socket.TrySend(buffer))
        {
            throw new IOException("The socket's send buffer is full, and a blocking write is not waited for.");
        }
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            socket.Dispose();
        }

        base.Dispose(disposing);
    }
}
