using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace Gateway.Core.Upstreams;

/// <summary>
/// The read side of an upstream connection as a <see cref="PipeReader"/> over one contiguous, pooled buffer. A read that
/// must wait completes through this object itself (one outstanding read at a time), so reading allocates nothing, where a
/// <c>StreamPipeReader</c> allocates a state machine per read that waits. The buffer grows only for a response head
/// longer than it (the head parser caps that at 64 KiB).
/// </summary>
internal sealed class UpstreamReader : PipeReader, IValueTaskSource<ReadResult>
{
    private const int InitialSize = 8192;

    private readonly Stream _stream;
    private readonly Action _onReadCompleted;
    private ManualResetValueTaskSourceCore<ReadResult> _pending;
    private ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter _readAwaiter;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private ReadOnlySequence<byte> _handedOut;
    private int _start;
    private int _end;
    private int _examined;
    private bool _ended;
    private volatile bool _reading;

    /// <summary>Reads <paramref name="stream"/>.</summary>
    public UpstreamReader(Stream stream)
    {
        _stream = stream;
        _onReadCompleted = OnReadCompleted;
        _pending.RunContinuationsAsynchronously = false;
    }

    /// <inheritdoc/>
    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_end > _examined || _ended)
        {
            return new ValueTask<ReadResult>(Result());
        }

        MakeRoom();
        var read = _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
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

    /// <inheritdoc/>
    public override bool TryRead(out ReadResult result)
    {
        if (_end > _start || _ended)
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
    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        var origin = _start;
        _start = origin + (int)_handedOut.Slice(_handedOut.Start, consumed).Length;
        _examined = Math.Max(_start, origin + (int)_handedOut.Slice(_handedOut.Start, examined).Length);
        if (_start == _end)
        {
            _start = _end = _examined = 0;
        }
    }

    /// <summary>Not used: the forwarder cancels reads through their token.</summary>
    public override void CancelPendingRead() => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Complete(Exception? exception = null)
    {
        var buffer = _buffer;
        _buffer = [];
        _start = _end = _examined = 0;

        // A read still pending may yet write into the buffer: then it is left to the garbage collector, not the pool.
        if (buffer.Length > 0 && !_reading)
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

    private void OnReadCompleted()
    {
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
        _end += count;
    }

    /// <summary>Moves unconsumed bytes to the front, or grows the buffer when they fill it.</summary>
    private void MakeRoom()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _examined -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }

    private ReadResult Result()
    {
        _handedOut = new ReadOnlySequence<byte>(_buffer, _start, _end - _start);
        return new ReadResult(_handedOut, isCanceled: false, isCompleted: _ended);
    }
}
