namespace Gateway.Core.Upstreams;

/// <summary>
/// One destination's health as its cluster judges it: the verdict of active probes, passive ejection with the probation
/// that follows it, and the counts behind both. It stays with its destination across reloads.
/// </summary>
public sealed class DestinationHealth
{
    /// <summary>The longest an ejection lasts, in multiples of the ejection time.</summary>
    private const int MaxEjectionMultiple = 10;

    private readonly Lock _lock = new();
    private long _requests;
    private long _failures;
    private int _consecutiveFailures;
    private int _windowRequests;
    private int _windowFailures;
    private int _probePasses;
    private int _probeFailures;
    private bool _unhealthy;
    private long _ejectedUntil;
    private int _ejections;
    private bool _probation;
    private long _readmittedAt;

    private Action[] _listeners = [];

    /// <summary>Ejected (passive checks) before unhealthy (active checks) before healthy.</summary>
    public DestinationState State =>
        Volatile.Read(ref _ejectedUntil) != 0 ? DestinationState.Ejected
        : Volatile.Read(ref _unhealthy) ? DestinationState.Unhealthy
        : DestinationState.Healthy;

    /// <summary>Passive ejections so far.</summary>
    public long TimesEjected { get; private set; }

    /// <summary>Tries finished on this destination.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Tries that failed (connect error, reset, timeout, or a failure status).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>True after a readmission, until the next success: one failure then ejects again.</summary>
    internal bool OnProbation => Volatile.Read(ref _probation);

    /// <summary>Has <paramref name="listener"/> called after each change of state (by every cluster serving the destination).</summary>
    internal void Subscribe(Action listener)
    {
        lock (_lock)
        {
            _listeners = [.. _listeners, listener];
        }
    }

    /// <summary>Stops calling <paramref name="listener"/>.</summary>
    internal void Unsubscribe(Action listener)
    {
        lock (_lock)
        {
            _listeners = [.. _listeners.Where(each => each != listener)];
        }
    }

    /// <summary>Counts a finished try (also in the current window when <paramref name="windowed"/>); returns the failures in a row, 0 after a success.</summary>
    internal int Record(bool failed, bool windowed)
    {
        Interlocked.Increment(ref _requests);
        if (windowed)
        {
            Interlocked.Increment(ref _windowRequests);
        }

        if (!failed)
        {
            if (Volatile.Read(ref _consecutiveFailures) != 0)
            {
                Volatile.Write(ref _consecutiveFailures, 0);
            }

            if (Volatile.Read(ref _probation))
            {
                Volatile.Write(ref _probation, false);
            }

            return 0;
        }

        Interlocked.Increment(ref _failures);
        if (windowed)
        {
            Interlocked.Increment(ref _windowFailures);
        }

        return Interlocked.Increment(ref _consecutiveFailures);
    }

    /// <summary>The counts of the window that ends now; the next window starts from zero.</summary>
    internal (int Requests, int Failures) TakeWindow() => (Interlocked.Exchange(ref _windowRequests, 0), Interlocked.Exchange(ref _windowFailures, 0));

    /// <summary>Ejects the destination for <paramref name="ejectionTime"/> times the number of its ejections (10 at most); false when it already is.</summary>
    internal bool TryEject(long now, TimeSpan ejectionTime)
    {
        lock (_lock)
        {
            if (_ejectedUntil != 0)
            {
                return false;
            }

            _ejections = Math.Min(_ejections + 1, MaxEjectionMultiple);
            TimesEjected++;
            _probation = false;
            Volatile.Write(ref _ejectedUntil, Math.Max(1, now + (long)(ejectionTime.TotalMilliseconds * _ejections)));
        }

        Notify();
        return true;
    }

    /// <summary>
    /// Readmits the destination, on probation, once its ejection has run out; otherwise, after every <paramref name="ejectionTime"/>
    /// it stayed in, forgets one of its past ejections (so the next one is shorter).
    /// </summary>
    internal void Review(long now, TimeSpan ejectionTime)
    {
        lock (_lock)
        {
            if (_ejectedUntil == 0)
            {
                if (_ejections > 0 && now - _readmittedAt >= ejectionTime.TotalMilliseconds)
                {
                    _ejections--;
                    _readmittedAt = now;
                }

                return;
            }

            if (now < _ejectedUntil)
            {
                return;
            }

            _consecutiveFailures = 0;
            _probation = true;
            _readmittedAt = now;
            Volatile.Write(ref _ejectedUntil, 0);
        }

        Notify();
    }

    /// <summary>
    /// Forgets the verdicts of checks the destination's cluster no longer runs (a reload turned them off): an ejection no
    /// detector would end, when <paramref name="ejection"/>, and an active verdict no probe would revise, when <paramref name="probes"/>.
    /// </summary>
    internal void Forget(bool ejection, bool probes)
    {
        lock (_lock)
        {
            var changed = (ejection && _ejectedUntil != 0) || (probes && _unhealthy);
            if (ejection)
            {
                _probation = false;
                Volatile.Write(ref _ejectedUntil, 0);
            }

            if (probes)
            {
                (_probePasses, _probeFailures) = (0, 0);
                Volatile.Write(ref _unhealthy, false);
            }

            if (!changed)
            {
                return;
            }
        }

        Notify();
    }

    /// <summary>Counts a probe's result: <paramref name="healthyAfter"/> passes in a row make the destination healthy, <paramref name="unhealthyAfter"/> failures unhealthy.</summary>
    internal void RecordProbe(bool passed, int healthyAfter, int unhealthyAfter)
    {
        lock (_lock)
        {
            (_probePasses, _probeFailures) = passed ? (_probePasses + 1, 0) : (0, _probeFailures + 1);
            var unhealthy = _unhealthy ? _probePasses < healthyAfter : _probeFailures >= unhealthyAfter;
            if (unhealthy == _unhealthy)
            {
                return;
            }

            Volatile.Write(ref _unhealthy, unhealthy);
        }

        Notify();
    }

    private void Notify()
    {
        foreach (var listener in Volatile.Read(ref _listeners))
        {
            listener();
        }
    }
}
