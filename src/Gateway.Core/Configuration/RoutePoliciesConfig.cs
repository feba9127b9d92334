namespace Gateway.Core.Configuration;

/// <summary>The policies a route applies before its handler: rate limits naming policies defined at the top level, and its IP filter.</summary>
public sealed record RoutePoliciesConfig
{
    /// <summary>Names of rate-limit policies (from "rateLimits"), all applied, in order.</summary>
    public List<string> RateLimit { get; set; } = [];

    /// <summary>The client addresses that may use the route (on top of the gateway's own <c>ipFilter</c>); null lets every address.</summary>
    public IpFilterConfig? IpFilter { get; set; }
}
