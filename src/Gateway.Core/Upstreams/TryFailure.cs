namespace Gateway.Core.Upstreams;

/// <summary>How one try of a request to a destination failed, as retries and failover tell failures apart.</summary>
public enum TryFailure
{
    /// <summary>No connection could be opened: nothing was sent.</summary>
    Connect,

    /// <summary>The connection failed before the response head.</summary>
    Reset,

    /// <summary>The response head took too long.</summary>
    Timeout,

    /// <summary>The upstream answered with a status the route retries.</summary>
    Status,

    /// <summary>The upstream's answer was malformed: never retried.</summary>
    Protocol,
}
