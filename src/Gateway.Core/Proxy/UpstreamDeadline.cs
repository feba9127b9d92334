namespace Gateway.Core.Proxy;

/// <summary>
/// The cancellation of one connection's upstream exchanges: fires when no upstream activity happened within the cluster's
/// timeout (or a try's response head took longer than its per-try timeout), when the route's overall timeout for the whole
/// exchange ran out (then <see cref="TimedOut"/>), or when the client connection closed. Reused request after request, and
/// connection after connection (<see cref="Bind"/>), so a request allocates no token source.
/// </summary>
public sealed class UpstreamDeadline : IDisposable
{
    private CancellationTokenRegistration _clientClosedRegistration;
    private CancellationTokenSource _source = new();
    private TimeSpan _timeout;
    private long _end;
    private bool _clientClosed;

    /// <summary>Links the deadline to the close of the client connection it serves from now on.</summary>
    public void Bind(CancellationToken clientClosed)
    {
        Volatile.Write(ref _clientClosed, false);
        _clientClosedRegistration = clientClosed.UnsafeRegister(static state => ((UpstreamDeadline)state!).OnClientClosed(), this);
    }

    /// <summary>Stops listening to the connection's close (once this returns, its close no longer reaches the deadline).</summary>
    public void Unbind() => _clientClosedRegistration.Dispose();

    /// <summary>The token to pass to upstream calls.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>True when the token fired because the upstream was too slow (and not because the client left).</summary>
    public bool TimedOut => _source.IsCancellationRequested && !Volatile.Read(ref _clientClosed);

    /// <summary>True when the exchange's overall time has run out: no further try may start.</summary>
    public bool Expired => Environment.TickCount64 >= _end;

    /// <summary>True when the client connection has closed.</summary>
    public bool ClientClosed => Volatile.Read(ref _clientClosed);

    /// <summary>Arms the deadline for a new exchange: <paramref name="timeout"/> for each wait on the upstream, <paramref name="overall"/> (when set) for all of it.</summary>
    public void Start(TimeSpan timeout, TimeSpan? overall = null)
    {
        _timeout = timeout;
        _end = overall is { } limit ? Environment.TickCount64 + (long)limit.TotalMilliseconds : long.MaxValue;
        Arm(timeout);
    }

    /// <summary>Re-arms the deadline for the next try, whose response head may take <paramref name="headTimeout"/> (the cluster's timeout when null).</summary>
    public void StartTry(TimeSpan? headTimeout) => Arm(headTimeout ?? _timeout);

    /// <summary>Waits <paramref name="backoff"/> before a retry; false when the client left or the overall time ran out meanwhile.</summary>
    public async ValueTask<bool> BackOffAsync(TimeSpan backoff)
    {
        StartTry(null);
        try
        {
            await Task.Delay(backoff, Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Pushes the deadline out after upstream activity.</summary>
    public void Extend() => _source.CancelAfter(Bounded(_timeout));

    /// <summary>Disarms the deadline once the exchange is over.</summary>
    public void Stop() => _source.CancelAfter(Timeout.InfiniteTimeSpan);

    /// <summary>Cancels the current exchange at once (e.g. to stop a body copy that is no longer wanted).</summary>
    public void Abort() => _source.Cancel();

    /// <inheritdoc/>
    public void Dispose()
    {
        _clientClosedRegistration.Dispose();
        _source.Dispose();
    }

    private void Arm(TimeSpan wait)
    {
        if (_source.IsCancellationRequested || !_source.TryReset())
        {
            _source.Dispose();
            _source = new CancellationTokenSource();
            if (Volatile.Read(ref _clientClosed))
            {
                _source.Cancel();
            }
        }

        _source.CancelAfter(Bounded(wait));
    }

    /// <summary><paramref name="wait"/>, or what is left of the overall time when that is shorter.</summary>
    private TimeSpan Bounded(TimeSpan wait)
    {
        if (_end == long.MaxValue)
        {
            return wait;
        }

        var left = TimeSpan.FromMilliseconds(Math.Max(0, _end - Environment.TickCount64));
        return left < wait ? left : wait;
    }

    private void OnClientClosed()
    {
        Volatile.Write(ref _clientClosed, true);
        try
        {
            _source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection already finished.
        }
    }
}
