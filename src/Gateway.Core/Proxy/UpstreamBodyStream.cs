using System.Buffers;
using System.IO.Pipelines;
using Gateway.Core.Http;

namespace Gateway.Core.Proxy;

/// <summary>
/// The write side of an upstream request body: what the client's body reader writes goes into the upstream connection's
/// pipe, re-framed as chunks when the upstream request is chunked; a flush sends it. Reused for every request on a connection.
/// </summary>
internal sealed class UpstreamBodyStream : Stream
{
    /// <summary>The most a chunk's framing adds: a size line of 16 hex digits and CRLF, then CRLF after the data.</summary>
    private const int ChunkFramingBytes = 20;

    private PipeWriter _output = null!;
    private bool _chunked;

    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Points the stream at the next request's upstream pipe.</summary>
    public void Start(PipeWriter output, bool chunked)
    {
        _output = output;
        _chunked = chunked;
    }

    /// <summary>Writes the last chunk when the body is chunked (the client's trailers are not forwarded).</summary>
    public void WriteEnd()
    {
        if (_chunked)
        {
            _output.Write(ChunkedEncoder.LastChunk);
        }
    }

    /// <inheritdoc/>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return;
        }

        // Room for the whole piece in one buffer, so that a flush sends it in one write rather than in 4 KiB pieces.
        _output.GetSpan(buffer.Length + (_chunked ? ChunkFramingBytes : 0));
        if (_chunked)
        {
            ChunkedEncoder.WriteSizeLine(_output, buffer.Length);
        }

        _output.Write(buffer);
        if (_chunked)
        {
            _output.Write(ChunkedEncoder.ChunkEnd);
        }
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        var result = await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new IOException("The upstream connection stopped taking the request body.");
        }
    }

    /// <inheritdoc/>
    public override void Flush() => throw new NotSupportedException();

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();
}
