namespace Gateway.Core.Upstreams;

/// <summary>
/// A cluster's passive health checks. Each finished try is reported; a destination that fails too many times in a row, or
/// too large a share of a window's tries, is ejected (never more of the cluster than the settings allow) and comes back on
/// probation when its ejection runs out, where one failure ejects it again for longer. A timer readmits and judges windows.
/// </summary>
internal sealed class OutlierDetector : IDisposable
{
    private readonly Destination[] _destinations;
    private readonly OutlierSettings _settings;
    private readonly int _maxEjected;
    private readonly Lock _ejecting = new();
    private readonly Timer _timer;
    private long _windowEnd;
    private int _reviewing;
    private bool _stopped;

    /// <summary>Watches <paramref name="destinations"/> with <paramref name="settings"/> (which must be <see cref="OutlierSettings.Enabled"/>).</summary>
    public OutlierDetector(Destination[] destinations, OutlierSettings settings)
    {
        _destinations = destinations;
        _settings = settings;
        _maxEjected = Math.Max(1, destinations.Length * settings.MaxEjectedPercent / 100);
        _windowEnd = Environment.TickCount64 + (long)settings.Window.TotalMilliseconds;
        var period = TimeSpan.FromMilliseconds(Math.Clamp(Math.Min(settings.EjectionTime.TotalMilliseconds, settings.Window.TotalMilliseconds) / 4, 100, 1000));
        _timer = new Timer(static state => ((OutlierDetector)state!).Review(), this, period, period);
    }

    /// <summary>Ejections made since the cluster started.</summary>
    public long Ejections { get; private set; }

    /// <summary>Counts a finished try on <paramref name="destination"/>, and ejects it when its failures call for it.</summary>
    public void Report(Destination destination, bool failed)
    {
        var health = destination.Health;
        var onProbation = failed && health.OnProbation;
        var inARow = health.Record(failed, _settings.FailurePercent > 0);
        if (onProbation || (_settings.ConsecutiveFailures > 0 && inARow >= _settings.ConsecutiveFailures))
        {
            TryEject(destination);
        }
    }

    /// <summary>Stops judging: the timer stops, and tries reported from now on (by requests the cluster outlives) eject nothing.</summary>
    public void Dispose()
    {
        lock (_ejecting)
        {
            _stopped = true;
        }

        _timer.Dispose();
    }

    private void TryEject(Destination destination)
    {
        lock (_ejecting)
        {
            if (_stopped || destination.Health.State == DestinationState.Ejected || _destinations.Count(d => d.Health.State == DestinationState.Ejected) >= _maxEjected)
            {
                return;
            }

            if (destination.Health.TryEject(Environment.TickCount64, _settings.EjectionTime))
            {
                Ejections++;
            }
        }
    }

    private void Review()
    {
        // A timer callback may start while the last one still runs: one review at a time, or a window is judged twice.
        if (Interlocked.Exchange(ref _reviewing, 1) == 1)
        {
            return;
        }

        try
        {
            ReviewNow();
        }
        finally
        {
            Volatile.Write(ref _reviewing, 0);
        }
    }

    private void ReviewNow()
    {
        var now = Environment.TickCount64;
        foreach (var destination in _destinations)
        {
            destination.Health.Review(now, _settings.EjectionTime);
        }

        if (_settings.FailurePercent == 0 || now < _windowEnd)
        {
            return;
        }

        _windowEnd = now + (long)_settings.Window.TotalMilliseconds;
        foreach (var destination in _destinations)
        {
            var (requests, failures) = destination.Health.TakeWindow();
            if (requests >= _settings.MinRequests && failures * 100L >= (long)_settings.FailurePercent * requests)
            {
                TryEject(destination);
            }
        }
    }
}
