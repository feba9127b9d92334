using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Connections;

namespace Gateway.Core.Sockets;

/// <summary>
/// The write side of a readiness socket as a <see cref="PipeWriter"/> that hands each flush straight to the socket: written
/// bytes wait in buffers rented from the shared array pool, and a flush sends them on the calling thread, waiting for epoll
/// only when the socket's send buffer is full. Where a <see cref="Pipe"/> and a send loop would take the lock of the pipe,
/// wake the loop and read the pipe back for every flush, this makes the <c>send</c> and nothing else. A flush ends once the
/// kernel took every byte, so nothing is buffered here between flushes, and a connection between responses holds no buffer.
/// A failed send cuts the connection and is raised by that flush and every later one. Completing the writer ends the
/// connection, as Kestrel's transports do.
/// </summary>
public sealed class ReadinessSocketWriter : PipeWriter
{
    /// <summary>The smallest buffer rented: a response head and a small body fit in one.</summary>
    private const int MinimumBufferSize = 4096;

    private readonly ReadinessSocket _socket;
    private readonly bool _failuresAsAborted;
    private Segment[] _segments = new Segment[2];
    private int _count;
    private int _sentSegments;
    private int _sentBytes;
    private Exception? _failure;
    private int _flushCancelRequested;
    private bool _completed;

    /// <summary>
    /// Writes to <paramref name="socket"/>, which stays its owner's to dispose. A failed send is raised as a
    /// <see cref="ConnectionAbortedException"/> when <paramref name="failuresAsAborted"/> (what Kestrel expects of a transport),
    /// else as the <see cref="IOException"/> around the socket's error (what a stream raises).
    /// </summary>
    public ReadinessSocketWriter(ReadinessSocket socket, bool failuresAsAborted)
    {
        _socket = socket;
        _failuresAsAborted = failuresAsAborted;
    }

    /// <inheritdoc/>
    public override bool CanGetUnflushedBytes => true;

    /// <inheritdoc/>
    public override long UnflushedBytes
    {
        get
        {
            long bytes = -_sentBytes;
            for (var i = _sentSegments; i < _count; i++)
            {
                bytes += _segments[i].Length;
            }

            return _count == 0 ? 0 : bytes;
        }
    }

    /// <inheritdoc/>
    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeHint);
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_count > 0)
        {
            ref var last = ref _segments[_count - 1];
            var room = last.Array.Length - last.Length;
            if (room > 0 && room >= sizeHint)
            {
                return last.Array.AsMemory(last.Length);
            }
        }

        if (_count == _segments.Length)
        {
            Array.Resize(ref _segments, _segments.Length * 2);
        }

        _segments[_count++] = new Segment(ArrayPool<byte>.Shared.Rent(Math.Max(sizeHint, MinimumBufferSize)));
        return _segments[_count - 1].Array;
    }

    /// <inheritdoc/>
    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    /// <inheritdoc/>
    public override void Advance(int bytes)
    {
        if (bytes == 0)
        {
            return;
        }

        ref var last = ref _count > 0 ? ref _segments[_count - 1] : ref Unsafe.NullRef<Segment>();
        if (Unsafe.IsNullRef(ref last) || bytes < 0 || bytes > last.Array.Length - last.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), "Advanced past the memory handed out.");
        }

        last.Length += bytes;
    }

    /// <inheritdoc/>
    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_failure is not null)
        {
            return ValueTask.FromException<FlushResult>(_failure);
        }

        if (TakeCancelRequest())
        {
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: true, isCompleted: false));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<FlushResult>(cancellationToken);
        }

        try
        {
            if (SendWhatFits())
            {
                return default;
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            return ValueTask.FromException<FlushResult>(Fail(ex));
        }

        return SendRestAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public override void CancelPendingFlush()
    {
        // Always woken: a flush about to wait finds the wake-up already there, and every wait is followed by a look at the flag.
        Volatile.Write(ref _flushCancelRequested, 1);
        _socket.InterruptWrite();
    }

    /// <summary>Sends what is still unsent without waiting (what the socket cannot take is dropped), lets go of the buffers and cuts the connection.</summary>
    public override void Complete(Exception? exception = null)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        if (exception is null && _failure is null)
        {
            try
            {
                SendWhatFits();
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // Gone: the rest has nowhere to go.
            }
        }

        ReturnBuffers();
        _socket.Abort();
    }

    /// <summary>Sends what is still unsent, waiting for room while the connection lives, then lets go of the buffers and cuts the connection.</summary>
    public override async ValueTask CompleteAsync(Exception? exception = null)
    {
        if (_completed)
        {
            return;
        }

        if (exception is null && _failure is null && _count > 0)
        {
            try
            {
                await FlushAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
            {
                // Gone or cut: the rest has nowhere to go.
            }
        }

        _completed = true;
        ReturnBuffers();
        _socket.Abort();
    }

    /// <summary>Sends buffered bytes until all went (true, buffers returned) or the socket's send buffer is full (false).</summary>
    private bool SendWhatFits()
    {
        while (_sentSegments < _count)
        {
            ref var segment = ref _segments[_sentSegments];
            while (_sentBytes < segment.Length)
            {
                var sent = _socket.SendSome(segment.Array.AsSpan(_sentBytes, segment.Length - _sentBytes));
                if (sent == 0)
                {
                    return false;
                }

                _sentBytes += sent;
            }

            ArrayPool<byte>.Shared.Return(segment.Array);
            segment = default;
            _sentSegments++;
            _sentBytes = 0;
        }

        _count = _sentSegments = 0;
        return true;
    }

    /// <summary>
    /// Waits for room in the socket's send buffer and sends, until all went, the flush is cancelled (the bytes stay buffered for
    /// the next flush), its token is cancelled or the send failed.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<FlushResult> SendRestAsync(CancellationToken cancellationToken)
    {
        try
        {
            // The flag is looked at before each wait (a cancel that came while sending) and after it (one that woke it).
            while (!TakeCancelRequest())
            {
                await _socket.WaitWritableAsync(cancellationToken).ConfigureAwait(false);
                if (TakeCancelRequest())
                {
                    break;
                }

                if (SendWhatFits())
                {
                    return default;
                }
            }

            return new FlushResult(isCanceled: true, isCompleted: false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            throw Fail(ex);
        }
    }

    /// <summary>True once for each <see cref="CancelPendingFlush"/>.</summary>
    private bool TakeCancelRequest() => Interlocked.Exchange(ref _flushCancelRequested, 0) == 1;

    /// <summary>A send failed: the connection is cut, and this and every later flush raises the failure.</summary>
    private Exception Fail(Exception error)
    {
        _failure = _failuresAsAborted ? new ConnectionAbortedException(error.Message, error) : error;
        _socket.Abort();
        ReturnBuffers();
        return _failure;
    }

    private void ReturnBuffers()
    {
        for (var i = _sentSegments; i < _count; i++)
        {
            ArrayPool<byte>.Shared.Return(_segments[i].Array);
            _segments[i] = default;
        }

        _count = _sentSegments = _sentBytes = 0;
    }

    /// <summary>One rented buffer and how much of it is written.</summary>
    private struct Segment(byte[] array)
    {
        public readonly byte[] Array = array;
        public int Length;
    }
}
