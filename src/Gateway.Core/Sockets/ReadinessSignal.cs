using System.Threading.Tasks.Sources;

namespace Gateway.Core.Sockets;

/// <summary>
/// One direction of a socket's readiness, as epoll last reported it: set by the epoll thread, awaited by at most one reader
/// (or writer) at a time. A waiter parked here runs on in the epoll thread, as .NET's inline socket completions do.
/// </summary>
internal sealed class ReadinessSignal : IValueTaskSource
{
    private const int Quiet = 0;
    private const int Signalled = 1;
    private const int Waiting = 2;
    private const int Closed = 3;

    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = false };
    private CancellationTokenRegistration _cancellation;
    private int _state;

    /// <summary>Epoll reported the direction ready: wakes the waiter, or lets the next wait pass at once.</summary>
    public void Set()
    {
        while (true)
        {
            switch (Volatile.Read(ref _state))
            {
                case Quiet when Interlocked.CompareExchange(ref _state, Signalled, Quiet) == Quiet:
                    return;
                case Waiting when Interlocked.CompareExchange(ref _state, Quiet, Waiting) == Waiting:
                    Wake(null);
                    return;
                case Signalled or Closed:
                    return;
            }
        }
    }

    /// <summary>Forgets a readiness reported before the caller's next attempt (which will see for itself).</summary>
    public void Clear() => Interlocked.CompareExchange(ref _state, Quiet, Signalled);

    /// <summary>Waits until epoll reports the direction ready (at once if it did since the last wait or clear).</summary>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            switch (Volatile.Read(ref _state))
            {
                case Signalled when Interlocked.CompareExchange(ref _state, Quiet, Signalled) == Signalled:
                    return default;
                case Closed:
                    return ValueTask.FromException(new ObjectDisposedException(nameof(ReadinessSocket)));
                case Waiting:
                    throw new InvalidOperationException("A socket direction has one waiter at a time.");
                case Quiet:
                    if (cancellationToken.IsCancellationRequested)
                    {
                        return ValueTask.FromCanceled(cancellationToken);
                    }

                    _core.Reset();
                    _cancellation = cancellationToken.CanBeCanceled
                        ? cancellationToken.UnsafeRegister(static (state, token) => ((ReadinessSignal)state!).Cancel(token), this)
                        : default;
                    if (Interlocked.CompareExchange(ref _state, Waiting, Quiet) == Quiet)
                    {
                        if (cancellationToken.IsCancellationRequested)
                        {
                            // Cancelled while registering, before there was a waiter to cancel.
                            Cancel(cancellationToken);
                        }

                        return new ValueTask(this, _core.Version);
                    }

                    _cancellation.Dispose();
                    _cancellation = default;
                    break;
            }
        }
    }

    /// <summary>Fails the waiter and every later wait: the socket is closed.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _state, Closed) == Waiting)
        {
            Wake(new ObjectDisposedException(nameof(ReadinessSocket)));
        }
    }

    private void Cancel(CancellationToken token)
    {
        if (Interlocked.CompareExchange(ref _state, Quiet, Waiting) == Waiting)
        {
            Wake(new OperationCanceledException(token));
        }
    }

    private void Wake(Exception? error)
    {
        if (error is null)
        {
            _core.SetResult(true);
        }
        else
        {
            _core.SetException(error);
        }
    }

    /// <inheritdoc/>
    public void GetResult(short token)
    {
        _cancellation.Dispose();
        _cancellation = default;
        _core.GetResult(token);
    }

    /// <inheritdoc/>
    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc/>
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
