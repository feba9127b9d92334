namespace Gateway.Core.Proxy;

/// <summary>
/// The cancellation of one connection's upstream exchanges: fires when no upstream activity happened within the
/// cluster's timeout (then <see cref="TimedOut"/>), or when the client connection closed. Reused request after
/// request, so a request allocates no token source.
/// </summary>
public sealed class UpstreamDeadline : IDisposable
{
    private readonly CancellationTokenRegistration _clientClosedRegistration;
    private CancellationTokenSource _source = new();
    private TimeSpan _timeout;
    private bool _clientClosed;

    /// <summary>Links the deadline to the client connection's close.</summary>
    public UpstreamDeadline(CancellationToken clientClosed) =>
        _clientClosedRegistration = clientClosed.UnsafeRegister(static state => ((UpstreamDeadline)state!).OnClientClosed(), this);

    /// <summary>The token to pass to upstream calls.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>True when the token fired because the upstream was idle too long (and not because the client left).</summary>
    public bool TimedOut => _source.IsCancellationRequested && !Volatile.Read(ref _clientClosed);

    /// <summary>True when the client connection has closed.</summary>
    public bool ClientClosed => Volatile.Read(ref _clientClosed);

    /// <summary>Arms the deadline for a new exchange.</summary>
    public void Start(TimeSpan timeout)
    {
        _timeout = timeout;
        if (_source.IsCancellationRequested || !_source.TryReset())
        {
            _source.Dispose();
            _source = new CancellationTokenSource();
            if (Volatile.Read(ref _clientClosed))
            {
                _source.Cancel();
            }
        }

        _source.CancelAfter(timeout);
    }

    /// <summary>Pushes the deadline out after upstream activity.</summary>
    public void Extend() => _source.CancelAfter(_timeout);

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
