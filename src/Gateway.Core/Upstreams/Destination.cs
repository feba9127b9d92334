namespace Gateway.Core.Upstreams;

/// <summary>One upstream address of a cluster, with the count of requests in flight to it (for load balancing).</summary>
public sealed class Destination(string address)
{
    private int _inFlight;

    /// <summary>Scheme, authority and optional base path, without a trailing slash (e.g. <c>http://10.0.0.5:5001</c>).</summary>
    public string Address { get; } = address.TrimEnd('/');

    /// <summary>Requests currently being forwarded to this destination.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Counts a request as started.</summary>
    public void RequestStarted() => Interlocked.Increment(ref _inFlight);

    /// <summary>Counts a request as finished.</summary>
    public void RequestFinished() => Interlocked.Decrement(ref _inFlight);
}
