using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Gateway.Core.Sockets;

namespace Gateway.Core.Upstreams;

/// <summary>
/// The read side of an upstream connection as a <see cref="PipeReader"/> over one contiguous, pooled buffer. A read that
/// must wait completes through this object itself (one outstanding read at a time), so reading allocates nothing, where a
/// <c>StreamPipeReader</c> allocates a state machine per read that waits. The buffer grows for a response head longer
/// than it (the head parser caps that at 64 KiB), and to 64 KiB for a body once a read filled it (a large body arriving
/// fast: fewer, larger reads); it is back to its small size when the connection goes idle. A body of known length that
/// goes to the client as it is bypasses it (<see cref="ReadIntoAsync"/>).
/// While the connection is idle in its pool a read is already posted (<see cref="ReadAhead"/>). If it ends while the
/// connection is idle (the upstream closed it, failed it, or sent bytes nobody asked for) the connection is cut at once;
/// otherwise the next request takes it over as the read of its response. That costs no system call on rent, where a
/// poll of the socket would cost one per request.
/// </summary>
internal sealed class UpstreamReader : PipeReader, IValueTaskSource<ReadResult>
{
    private const int InitialSize = 8192;

    /// <summary>The buffer a body is read into once a read filled the initial one (a large body, arriving fast).</summary>
    private const int BodySize = 64 * 1024;

    // Where the read posted while idle stands.
    private const int NoReadAhead = 0;
    private const int Watching = 1;
    private const int Taken = 2;
    private const int Awaited = 3;
    private const int Ended = 4;

    private readonly Stream _stream;
    private readonly Action _abort;
    private readonly Action _onReadCompleted;
    private readonly Action _onReadAheadCompleted;
    private ManualResetValueTaskSourceCore<ReadResult> _pending;
    private ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter _readAwaiter;
    private CancellationTokenRegistration _readAheadCancellation;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private ReadWindow _window;
    private int _readAhead;
    private int _room;
    private bool _filled;
    private bool _ended;
    private volatile bool _reading;

    /// <summary>Reads <paramref name="stream"/>; <paramref name="abort"/> cuts the connection (a read-ahead cannot be cancelled alone).</summary>
    public UpstreamReader(Stream stream, Action abort)
    {
        _stream = stream;
        _abort = abort;
        _onReadCompleted = OnReadCompleted;
        _onReadAheadCompleted = OnReadAheadCompleted;
        _pending.RunContinuationsAsynchronously = false;
    }

    /// <summary>
    /// Posts the next read while nothing is left unread, to watch the idle connection. It carries no cancellation token: it
    /// outlives the exchange that posted it. Bytes already buffered, or an ended stream, post nothing (the connection is
    /// then not reusable anyway).
    /// </summary>
    public void ReadAhead()
    {
        if (_reading || _window.Unconsumed > 0 || _ended)
        {
            return;
        }

        _window.Clear();
        if (_buffer.Length > InitialSize)
        {
            // An idle connection holds only the small buffer.
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
        }

        try
        {
            _room = _buffer.Length;
            var read = _stream.ReadAsync(_buffer.AsMemory());
            _readAwaiter = read.ConfigureAwait(false).GetAwaiter();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            _ended = true;
            return;
        }

        _reading = true;
        Volatile.Write(ref _readAhead, Watching);
        _readAwaiter.UnsafeOnCompleted(_onReadAheadCompleted);
    }

    /// <summary>
    /// Claims the idle connection for a request: true when the read posted while idle is still waiting, so the upstream has
    /// neither closed the connection nor sent anything unasked (with bytes left unread, none was posted).
    /// </summary>
    public bool TryTakeIdle() => Interlocked.CompareExchange(ref _readAhead, Taken, Watching) == Watching;

    /// <inheritdoc/>
    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_window.HasUnexamined || _ended)
        {
            return new ValueTask<ReadResult>(Result());
        }

        if (Volatile.Read(ref _readAhead) != NoReadAhead)
        {
            return AwaitReadAhead(cancellationToken);
        }

        MakeRoom();
        _room = _buffer.Length - _window.End;
        var read = _stream.ReadAsync(_buffer.AsMemory(_window.End), cancellationToken);
        if (read.IsCompletedSuccessfully)
        {
            Received(read.Result);
            return new ValueTask<ReadResult>(Result());
        }

        _pending.Reset();
        _reading = true;
        _readAwaiter = read.ConfigureAwait(false).GetAwaiter();
        _readAwaiter.UnsafeOnCompleted(_onReadCompleted);
        return new ValueTask<ReadResult>(this, _pending.Version);
    }

    /// <summary>
    /// Reads the next bytes of a body into <paramref name="destination"/> (a client's send buffer): what this reader still
    /// holds first, else straight from the connection, so the bytes are not copied through this reader's buffer; 0 once the
    /// upstream has ended the connection.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReadIntoAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (_window.Unconsumed > 0)
        {
            var count = Math.Min(destination.Length, _window.Unconsumed);
            _buffer.AsSpan(_window.Start, count).CopyTo(destination.Span);
            _window.Consume(count);
            return count;
        }

        if (_ended)
        {
            return 0;
        }

        var read = await _stream.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
        _ended = read == 0;
        return read;
    }

    /// <inheritdoc/>
    public override bool TryRead(out ReadResult result)
    {
        if (_window.Unconsumed > 0 || _ended)
        {
            result = Result();
            return true;
        }

        result = default;
        return false;
    }

    /// <inheritdoc/>
    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    /// <inheritdoc/>
    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => _window.Advance(consumed, examined);

    /// <summary>Not used: the forwarder cancels reads through their token.</summary>
    public override void CancelPendingRead() => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Complete(Exception? exception = null)
    {
        var buffer = _buffer;
        _buffer = [];
        _window.Clear();

        // A read still pending may yet write into the buffer: then it is left to the garbage collector, not the pool.
        if (buffer.Length > 0 && (!_reading || _readAwaiter.IsCompleted))
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc/>
    ReadResult IValueTaskSource<ReadResult>.GetResult(short token) => _pending.GetResult(token);

    /// <inheritdoc/>
    ValueTaskSourceStatus IValueTaskSource<ReadResult>.GetStatus(short token) => _pending.GetStatus(token);

    /// <inheritdoc/>
    void IValueTaskSource<ReadResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _pending.OnCompleted(continuation, state, token, flags);

    /// <summary>The first read of a response on a reused connection: the one posted while it was idle.</summary>
    private ValueTask<ReadResult> AwaitReadAhead(CancellationToken cancellationToken)
    {
        _pending.Reset();
        if (cancellationToken.CanBeCanceled)
        {
            _readAheadCancellation = cancellationToken.UnsafeRegister(static state => ((UpstreamReader)state!)._abort(), this);
        }

        if (Interlocked.CompareExchange(ref _readAhead, Awaited, Taken) == Taken)
        {
            return new ValueTask<ReadResult>(this, _pending.Version);
        }

        // It has already ended: take its result now.
        _readAheadCancellation.Unregister();
        _readAheadCancellation = default;
        _readAhead = NoReadAhead;
        _reading = false;
        Received(_readAwaiter.GetResult());
        return new ValueTask<ReadResult>(Result());
    }

    private void OnReadAheadCompleted()
    {
        switch (Interlocked.Exchange(ref _readAhead, Ended))
        {
            case Watching:
                // Ended while idle: the upstream closed or sent unasked. Cut it now; the pool discards it when it next looks.
                _abort();
                break;
            case Awaited:
                _readAhead = NoReadAhead;
                OnReadCompleted();
                break;
            default:
                // Taken by a request that has not asked to read yet: it finds the read ended when it does.
                break;
        }
    }

    private void OnReadCompleted()
    {
        _readAheadCancellation.Unregister();
        _readAheadCancellation = default;
        _reading = false;
        try
        {
            Received(_readAwaiter.GetResult());
            _pending.SetResult(Result());
        }
        catch (Exception ex)
        {
            _pending.SetException(ex);
        }
    }

    private void Received(int count)
    {
        _ended = count == 0;
        _filled = count == _room;
        _window.Received(count);
    }

    /// <summary>
    /// Moves unconsumed bytes to the front, then grows the buffer when they fill it, or takes the larger body buffer when the
    /// last read filled all the room it had (a large body is arriving).
    /// </summary>
    private void MakeRoom()
    {
        if (_window.Start > 0)
        {
            _window.MoveToFront(_buffer, _buffer);
        }

        if (_window.End == _buffer.Length || (_filled && _buffer.Length < BodySize))
        {
            var larger = ArrayPool<byte>.Shared.Rent(_window.End == _buffer.Length ? _buffer.Length * 2 : BodySize);
            _window.MoveToFront(_buffer, larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }

    private ReadResult Result()
    {
        return new ReadResult(_window.HandOut(_buffer), isCanceled: false, isCompleted: _ended);
    }
}
