namespace Gateway.Core.Upstreams;

/// <summary>One upstream address of a cluster: its pooled connections, its health, and the count of requests in flight to it (for load balancing).</summary>
public sealed class Destination : IDisposable
{
    private int _inFlight;

    /// <summary>A destination at <paramref name="address"/> whose connections follow <paramref name="pool"/> and, for https, <paramref name="tls"/>.</summary>
    public Destination(string address, PoolSettings pool, UpstreamTls tls)
    {
        Address = AddressOf(address);
        Endpoint = new UpstreamAddress(Address);
        Pool = pool;
        Tls = tls;
        Connections = new UpstreamConnectionPool(Endpoint, pool, tls);
    }

    /// <summary>The <see cref="Address"/> a destination configured as <paramref name="url"/> has.</summary>
    public static string AddressOf(string url) => url.TrimEnd('/');

    /// <summary>Scheme, authority and optional base path, without a trailing slash (e.g. <c>http://10.0.0.5:5001</c>).</summary>
    public string Address { get; }

    /// <summary>The address taken apart for connecting and for the request head.</summary>
    public UpstreamAddress Endpoint { get; }

    /// <summary>How the connections are opened and kept.</summary>
    public PoolSettings Pool { get; }

    /// <summary>How https connections are secured.</summary>
    public UpstreamTls Tls { get; }

    /// <summary>Keep-alive connections to this destination.</summary>
    public UpstreamConnectionPool Connections { get; }

    /// <summary>Health checks' verdict and the counts behind it.</summary>
    public DestinationHealth Health { get; } = new();

    /// <summary>Requests currently being forwarded to this destination.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Counts a request as started.</summary>
    public void RequestStarted() => Interlocked.Increment(ref _inFlight);

    /// <summary>Counts a request as finished.</summary>
    public void RequestFinished() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Closes the pooled connections.</summary>
    public void Dispose() => Connections.Dispose();
}
