using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Microsoft.AspNetCore.Connections;

namespace Gateway.Core.Sockets;

/// <summary>
/// The read side of a client's readiness socket as a <see cref="PipeReader"/> that receives when the application reads:
/// a read that finds nothing unexamined waits for epoll, then receives straight into this reader's buffer on the thread epoll
/// woke, and completes through this object itself (no allocation). Where a <see cref="Pipe"/> filled by a receive loop would
/// wake the loop, take the pipe's lock to write and again to read and advance, this makes the <c>recv</c> and nothing else.
/// The buffer (32 KiB from the shared array pool, so an upload arrives in large reads) is rented once bytes are there and
/// returned once the application consumed them all, so an idle connection holds none; it grows when the application
/// examines everything without consuming, up to the read-buffer limit, past which the read fails. A receive failure is
/// raised as Kestrel's transports raise it: a reset as <see cref="ConnectionResetException"/>, a socket closed under the
/// read as <see cref="ConnectionAbortedException"/>. <see cref="CancelPendingRead"/> may come from any thread.
/// </summary>
public sealed class ReadinessSocketReader : PipeReader, IValueTaskSource<ReadResult>
{
    /// <summary>The buffer a receive starts with: a large request body arrives in reads of this size.</summary>
    public const int ReceiveBufferSize = 32 * 1024;

    /// <summary>The least room a receive gets: with less left, unconsumed bytes move to the front or the buffer grows.</summary>
    private const int MinimumRoom = 2048;

    private readonly ReadinessSocket _socket;
    private readonly long _maxBuffered;
    private readonly Action _onReadable;
    private ManualResetValueTaskSourceCore<ReadResult> _pending;
    private ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter _wait;
    private CancellationToken _waitToken;
    private byte[]? _buffer;
    private ReadWindow _window;
    private bool _ended;
    private Exception? _failure;
    private int _cancelRequested;
    private volatile bool _reading;
    private bool _completed;

    /// <summary>Reads <paramref name="socket"/> (its owner's to dispose), failing a read once more than <paramref name="maxBuffered"/> bytes sit unconsumed.</summary>
    public ReadinessSocketReader(ReadinessSocket socket, long maxBuffered)
    {
        _socket = socket;
        _maxBuffered = Math.Max(maxBuffered, ReceiveBufferSize);
        _onReadable = OnReadable;
        _pending.RunContinuationsAsynchronously = false;
    }

    /// <inheritdoc/>
    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (Interlocked.Exchange(ref _cancelRequested, 0) == 1)
        {
            return new ValueTask<ReadResult>(Result(canceled: true));
        }

        if (_window.HasUnexamined || _ended)
        {
            return _failure is null ? new ValueTask<ReadResult>(Result()) : ValueTask.FromException<ReadResult>(_failure);
        }

        try
        {
            while (true)
            {
                var wait = _socket.WaitReadableAsync(cancellationToken);
                if (!wait.IsCompleted)
                {
                    _pending.Reset();
                    _waitToken = cancellationToken;
                    _reading = true;
                    _wait = wait.ConfigureAwait(false).GetAwaiter();
                    _wait.UnsafeOnCompleted(_onReadable);
                    return new ValueTask<ReadResult>(this, _pending.Version);
                }

                wait.GetAwaiter().GetResult();
                if (Interlocked.Exchange(ref _cancelRequested, 0) == 1)
                {
                    return new ValueTask<ReadResult>(Result(canceled: true));
                }

                if (TryReceive())
                {
                    return new ValueTask<ReadResult>(Result());
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            return ValueTask.FromException<ReadResult>(Fail(ex));
        }
    }

    /// <inheritdoc/>
    public override bool TryRead(out ReadResult result)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (Interlocked.Exchange(ref _cancelRequested, 0) == 1)
        {
            result = Result(canceled: true);
            return true;
        }

        if (_window.Unconsumed > 0 || _ended)
        {
            if (_failure is not null)
            {
                throw _failure;
            }

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
        if (_window.Advance(consumed, examined) && _buffer is not null)
        {
            // All consumed: the buffer goes back until bytes come again.
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }

    /// <summary>Ends the read waiting now (its result says it was cancelled), or the next one if none waits.</summary>
    public override void CancelPendingRead()
    {
        // Always woken: a read about to wait finds the wake-up already there, and every wait is followed by a look at the flag.
        Volatile.Write(ref _cancelRequested, 1);
        _socket.InterruptRead();
    }

    /// <inheritdoc/>
    public override void Complete(Exception? exception = null)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;

        // A read still waiting may yet receive into the buffer: then it is left to the garbage collector, not the pool.
        if (_buffer is not null && !_reading)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = null;
        _window.Clear();
    }

    /// <inheritdoc/>
    ReadResult IValueTaskSource<ReadResult>.GetResult(short token) => _pending.GetResult(token);

    /// <inheritdoc/>
    ValueTaskSourceStatus IValueTaskSource<ReadResult>.GetStatus(short token) => _pending.GetStatus(token);

    /// <inheritdoc/>
    void IValueTaskSource<ReadResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _pending.OnCompleted(continuation, state, token, flags);

    /// <summary>Epoll reported bytes (or the end, or a cancel woke the wait): receives them, or waits again after a spurious wake-up.</summary>
    private void OnReadable()
    {
        try
        {
            while (true)
            {
                _wait.GetResult();
                if (Interlocked.Exchange(ref _cancelRequested, 0) == 1)
                {
                    Done(Result(canceled: true));
                    return;
                }

                if (TryReceive())
                {
                    Done(Result());
                    return;
                }

                var wait = _socket.WaitReadableAsync(_waitToken);
                _wait = wait.ConfigureAwait(false).GetAwaiter();
                if (!wait.IsCompleted)
                {
                    _wait.UnsafeOnCompleted(_onReadable);
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            _reading = false;
            _waitToken = default;
            _pending.SetException(ex is IOException or ObjectDisposedException ? Fail(ex) : ex);
        }
    }

    private void Done(ReadResult result)
    {
        _reading = false;
        _waitToken = default;
        _pending.SetResult(result);
    }

    /// <summary>Receives into the buffer: true with bytes or the end, false when a spurious wake-up found nothing.</summary>
    private bool TryReceive()
    {
        MakeRoom();
        var count = _socket.Receive(_buffer.AsSpan(_window.End));
        if (count < 0)
        {
            return false;
        }

        _ended = count == 0;
        _window.Received(count);
        return true;
    }

    /// <summary>Rents the buffer when there is none; else moves unconsumed bytes to the front, or grows it, when little room is left.</summary>
    private void MakeRoom()
    {
        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
            _window.Clear();
            return;
        }

        if (_buffer.Length - _window.End >= MinimumRoom)
        {
            return;
        }

        if (_window.Start > 0 && _buffer.Length - _window.Unconsumed >= MinimumRoom)
        {
            _window.MoveToFront(_buffer, _buffer);
            return;
        }

        if (_buffer.Length >= _maxBuffered)
        {
            throw new IOException($"The client sent more than the {_maxBuffered} bytes the gateway holds unread for a connection.");
        }

        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(_buffer.Length * 2L, _maxBuffered));
        _window.MoveToFront(_buffer, larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    /// <summary>The socket failed (or was closed): the end of the stream for this reader, raised as a transport raises it, now and on every later read.</summary>
    private Exception Fail(Exception error)
    {
        _ended = true;
        _failure = error switch
        {
            IOException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown } }
                => new ConnectionResetException(error.Message, error),
            ObjectDisposedException => new ConnectionAbortedException(),
            _ => error,
        };
        return _failure;
    }

    private ReadResult Result(bool canceled = false)
    {
        return new ReadResult(_window.HandOut(_buffer), canceled, isCompleted: _ended && !canceled);
    }
}
