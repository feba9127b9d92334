using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Core.Upstreams;

/// <summary>
/// A named group of weighted destinations and what keeps requests away from the broken ones: balancing over the available
/// destinations (all of them in panic, when fewer than half are available), passive and active health checks, the
/// circuit-breaker caps, and the retry budget. Transport-neutral: whatever carries the requests reports each try here.
/// </summary>
public sealed class Cluster : IDisposable
{
    private readonly int[] _weights;
    private readonly ILoadBalancingPolicy _balancer;
    private readonly OutlierDetector? _outliers;
    private readonly HealthProber? _prober;
    private readonly Action<Destination>? _stateChanged;
    private readonly Action[] _listeners;
    private readonly Lock _rebuilding = new();
    private DestinationSet _set;
    private int _setVersion;
    private int _healthVersion;
    private int _inFlight;
    private int _http2Released;

    /// <summary>
    /// A cluster of <paramref name="destinations"/> weighted by <paramref name="weights"/>, picked by <paramref name="balancer"/>
    /// (hashing requests by <paramref name="hashKey"/> when it uses keys); its health checks start now, and last until it is
    /// disposed. <paramref name="stateChanged"/> hears each destination whose state changes (also when another cluster sharing
    /// the destination, before or after a reload, changed it).
    /// </summary>
    public Cluster(
        string id, Destination[] destinations, int[] weights, ILoadBalancingPolicy balancer, ClusterSettings settings,
        HashKey? hashKey = null, Action<Destination>? stateChanged = null)
    {
        Id = id;
        Destinations = destinations;
        Settings = settings;
        HashKey = balancer.UsesKey ? hashKey : null;
        Pending = new PendingRequests(settings.MaxPendingRequests);
        RetryBudget = new RetryBudget(settings.RetryBudgetPercent, settings.RetryBudgetMinConcurrency);
        _weights = weights;
        _balancer = balancer;
        _stateChanged = stateChanged;
        _listeners = [.. destinations.Select(destination => (Action)(() => OnStateChanged(destination)))];
        for (var i = 0; i < destinations.Length; i++)
        {
            destinations[i].Health.Subscribe(_listeners[i]);
        }

        _set = BuildSet();
        _outliers = settings.Outliers.Enabled ? new OutlierDetector(destinations, settings.Outliers) : null;
        _prober = settings.Probes is { } probes ? new HealthProber(destinations, probes, settings.Protocol) : null;
    }

    /// <summary>The cluster's name in the configuration.</summary>
    public string Id { get; }

    /// <summary>The destinations, in the configuration's order; never empty.</summary>
    public Destination[] Destinations { get; }

    /// <summary>Timeouts, health checks, caps and retry budget.</summary>
    public ClusterSettings Settings { get; }

    /// <summary>Longest wait for upstream activity before answering 504.</summary>
    public TimeSpan Timeout => Settings.Timeout;

    /// <summary>What requests are hashed by, or null when the balancing uses no key.</summary>
    public HashKey? HashKey { get; }

    /// <summary>Requests waiting for a connection, capped.</summary>
    public PendingRequests Pending { get; }

    /// <summary>The share of requests in flight that may be retrying.</summary>
    public RetryBudget RetryBudget { get; }

    /// <summary>The HTTP/2 transport of an h2c or h2 cluster; null for HTTP/1.1, which uses each destination's own pool.</summary>
    public Http2Upstream? Http2 { get; init; }

    /// <summary>Requests in flight to the cluster.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Passive ejections made since the cluster started.</summary>
    public long Ejections => _outliers?.Ejections ?? 0;

    /// <summary>What balancing picks from now: the available destinations, or all of them when fewer than half are available.</summary>
    public DestinationSet Available
    {
        get
        {
            var set = _set;
            return Volatile.Read(ref _setVersion) == Volatile.Read(ref _healthVersion) ? set : Rebuild();
        }
    }

    /// <summary>The destination for a request hashed to <paramref name="key"/> (null: no key).</summary>
    public Destination Pick(ulong? key)
    {
        var set = Available;
        return set.Members[_balancer.Pick(set, key)];
    }

    /// <summary>
    /// A destination for another try, not among <paramref name="tried"/>: the balancer's pick, or the next available one
    /// after it; null when every available destination was tried.
    /// </summary>
    public Destination? PickUntried(ulong? key, IReadOnlyList<Destination> tried)
    {
        var set = Available;
        var members = set.Members;
        var first = _balancer.Pick(set, key);
        for (var step = 0; step < members.Length; step++)
        {
            var candidate = members[(first + step) % members.Length];
            if (!tried.Contains(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Counts a request in; false (and not counted) when the cluster's cap on requests in flight is reached.</summary>
    public bool TryStartRequest()
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        if (Settings.MaxRequests == 0 || inFlight <= Settings.MaxRequests)
        {
            return true;
        }

        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    /// <summary>Counts a request out.</summary>
    public void FinishRequest() => Interlocked.Decrement(ref _inFlight);

    /// <summary>True when an upstream answer with <paramref name="status"/> counts as the destination failing.</summary>
    public bool IsFailureStatus(int status) => status >= 400 && Array.IndexOf(Settings.Outliers.FailureStatuses, status) >= 0;

    /// <summary>Reports a finished try on <paramref name="destination"/> to the health checks.</summary>
    public void Report(Destination destination, bool failed)
    {
        if (_outliers is not null)
        {
            _outliers.Report(destination, failed);
        }
        else
        {
            destination.Health.Record(failed, windowed: false);
        }
    }

    /// <summary>
    /// Once the cluster serves (after a reload), clears what its destinations kept from checks it does not run: without
    /// passive checks nothing would end an ejection, without active checks nothing would revise an unhealthy verdict.
    /// </summary>
    public void ForgetUncheckedVerdicts()
    {
        if (_outliers is not null && _prober is not null)
        {
            return;
        }

        foreach (var destination in Destinations)
        {
            destination.Health.Forget(ejection: _outliers is null, probes: _prober is null);
        }
    }

    /// <summary>Stops the health checks and stops listening to the destinations (which are closed by their snapshot).</summary>
    public void Dispose()
    {
        _outliers?.Dispose();
        _prober?.Dispose();
        if (Interlocked.Exchange(ref _http2Released, 1) == 0)
        {
            Http2?.Release();
        }

        for (var i = 0; i < Destinations.Length; i++)
        {
            Destinations[i].Health.Unsubscribe(_listeners[i]);
        }
    }

    private void OnStateChanged(Destination destination)
    {
        Interlocked.Increment(ref _healthVersion);
        _stateChanged?.Invoke(destination);
    }

    private DestinationSet Rebuild()
    {
        lock (_rebuilding)
        {
            var version = Volatile.Read(ref _healthVersion);
            if (version != _setVersion)
            {
                _set = BuildSet();
                Volatile.Write(ref _setVersion, version);
            }

            return _set;
        }
    }

    private DestinationSet BuildSet()
    {
        var available = Enumerable.Range(0, Destinations.Length).Where(i => Destinations[i].Health.State == DestinationState.Healthy).ToArray();
        if (available.Length * 2 < Destinations.Length || available.Length == 0)
        {
            available = [.. Enumerable.Range(0, Destinations.Length)];
        }

        return new DestinationSet([.. available.Select(i => Destinations[i])], [.. available.Select(i => _weights[i])], _balancer.UsesKey, _weights.Sum());
    }
}
