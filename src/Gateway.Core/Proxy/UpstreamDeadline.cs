using Gateway.Core.Http;

namespace Gateway.Core.Proxy;

/// <summary>
/// The cancellation of one connection's upstream exchanges: fires when no upstream activity happened within the cluster's
/// timeout (or a try's response head took longer than its per-try timeout), when the route's overall timeout for the whole
/// exchange ran out (then <see cref="TimedOut"/>), or when the client connection closed. Reused request after request, and
/// connection after connection (<see cref="Bind"/>), so a request allocates no token source. Its timer is changed only
/// when a wait must end sooner than the timer is due: extending or stopping the deadline (as every exchange does) only
/// moves the time it is due, and a timer that fires early is set again for the rest.
/// </summary>
public sealed class UpstreamDeadline : IDisposable
{
    private readonly TimeProvider _clock;
    private readonly MillisecondClock _milliseconds;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private CancellationTokenRegistration _clientClosedRegistration;
    private CancellationTokenSource _source = new();
    private TimeSpan _timeout;
    private long _end = long.MaxValue;
    private long _due = long.MaxValue;
    private long _timerDue = long.MaxValue;
    private bool _expired;
    private bool _clientClosed;

    /// <summary>A deadline on the system clock.</summary>
    public UpstreamDeadline()
        : this(TimeProvider.System)
    {
    }

    /// <summary>A deadline on <paramref name="clock"/>.</summary>
    public UpstreamDeadline(TimeProvider clock)
    {
        _clock = clock;
        _milliseconds = new MillisecondClock(clock);
        using (ExecutionContext.SuppressFlow())
        {
            _timer = clock.CreateTimer(static state => ((UpstreamDeadline)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

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
    public bool Expired => Now() >= _end;

    /// <summary>True when the client connection has closed.</summary>
    public bool ClientClosed => Volatile.Read(ref _clientClosed);

    /// <summary>Arms the deadline for a new exchange: <paramref name="timeout"/> for each wait on the upstream, <paramref name="overall"/> (when set) for all of it.</summary>
    public void Start(TimeSpan timeout, TimeSpan? overall = null)
    {
        _timeout = timeout;
        _end = overall is { } limit ? After(limit) : long.MaxValue;
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
            await Task.Delay(backoff, _clock, Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Pushes the deadline out after upstream activity.</summary>
    public void Extend() => MoveDue(Bounded(After(_timeout)));

    /// <summary>Disarms the deadline once the exchange is over (a timer still due finds nothing to cancel).</summary>
    public void Stop() => Volatile.Write(ref _due, long.MaxValue);

    /// <summary>Cancels the current exchange at once (e.g. to stop a body copy that is no longer wanted).</summary>
    public void Abort() => _source.Cancel();

    /// <inheritdoc/>
    public void Dispose()
    {
        _clientClosedRegistration.Dispose();
        lock (_gate)
        {
            // A timer callback already on its way then finds nothing due.
            _due = long.MaxValue;
            _timer.Dispose();
        }

        _source.Dispose();
    }

    /// <summary>
    /// Starts a wait of <paramref name="wait"/>, on a token source not cancelled (a new one when the last was); the source
    /// and the time it is due change together, so a timer firing meanwhile cancels either the old wait or none.
    /// </summary>
    private void Arm(TimeSpan wait)
    {
        var due = Bounded(After(wait));
        lock (_gate)
        {
            if (_expired || _source.IsCancellationRequested || !_source.TryReset())
            {
                _source.Dispose();
                _source = new CancellationTokenSource();
                _expired = false;
                if (Volatile.Read(ref _clientClosed))
                {
                    _source.Cancel();
                }
            }

            _due = due;
            if (due < _timerDue)
            {
                SetTimer(due);
            }
        }
    }

    /// <summary>Makes the current wait end at <paramref name="due"/>, setting the timer only when it is due later than that.</summary>
    private void MoveDue(long due)
    {
        Volatile.Write(ref _due, due);
        if (due >= Volatile.Read(ref _timerDue))
        {
            return;
        }

        lock (_gate)
        {
            if (due < _timerDue)
            {
                SetTimer(due);
            }
        }
    }

    /// <summary>Sets the timer to fire at <paramref name="due"/>; called holding the gate.</summary>
    private void SetTimer(long due)
    {
        _timerDue = due;
        _timer.Change(TimeSpan.FromMilliseconds(Math.Max(0, due - Now())), Timeout.InfiniteTimeSpan);
    }

    /// <summary>The timer fired: cancels the exchange when its wait has run out, else sets the timer again for the rest.</summary>
    private void OnTimer()
    {
        CancellationTokenSource expired;
        lock (_gate)
        {
            _timerDue = long.MaxValue;
            var due = Volatile.Read(ref _due);
            if (due == long.MaxValue)
            {
                return;
            }

            if (Now() < due)
            {
                SetTimer(due);
                return;
            }

            _due = long.MaxValue;
            _expired = true;
            expired = _source;
        }

        try
        {
            expired.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The next exchange already replaced it.
        }
    }

    /// <summary>The clock in milliseconds (an exchange reads it several times).</summary>
    private long Now() => _milliseconds.Now;

    /// <summary>The time <paramref name="wait"/> from now, in <see cref="Now"/>'s milliseconds; never (<see cref="long.MaxValue"/>) for an infinite or vast wait.</summary>
    private long After(TimeSpan wait)
    {
        var now = Now();
        var milliseconds = (long)wait.TotalMilliseconds;
        return wait == Timeout.InfiniteTimeSpan || milliseconds >= long.MaxValue - now ? long.MaxValue : now + milliseconds;
    }

    /// <summary><paramref name="due"/>, or the end of the overall time when that is sooner.</summary>
    private long Bounded(long due) => Math.Min(due, _end);

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
