using System.IO.Pipelines;

namespace Gateway.Benchmarks;

/// <summary>
/// A <see cref="PipeWriter"/> over one reusable buffer that forgets what is written: the response writers' output
/// sink, so their benchmarks measure formatting, not a pipe's segment management or a socket. Setup code checks the
/// bytes once through <see cref="Captured"/>.
/// </summary>
internal sealed class DiscardPipeWriter : PipeWriter
{
    private readonly byte[] _buffer = new byte[16 * 1024];

    /// <summary>Bytes advanced so far.</summary>
    public long Written { get; private set; }

    /// <summary>When set, every advanced byte is copied here (for checks outside the measured code).</summary>
    private MemoryStream? _capture;

    /// <summary>Runs <paramref name="write"/> once and returns what it wrote, as Latin-1 text.</summary>
    public string Captured(Func<long> write)
    {
        using var capture = new MemoryStream();
        _capture = capture;
        write();
        _capture = null;
        return System.Text.Encoding.Latin1.GetString(capture.ToArray());
    }

    /// <inheritdoc/>
    public override void Advance(int bytes)
    {
        _capture?.Write(_buffer, 0, bytes);
        Written += bytes;
    }

    /// <inheritdoc/>
    public override Memory<byte> GetMemory(int sizeHint = 0) => _buffer;

    /// <inheritdoc/>
    public override Span<byte> GetSpan(int sizeHint = 0) => _buffer;

    /// <inheritdoc/>
    public override void CancelPendingFlush()
    {
    }

    /// <inheritdoc/>
    public override void Complete(Exception? exception = null)
    {
    }

    /// <inheritdoc/>
    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => default;
}
