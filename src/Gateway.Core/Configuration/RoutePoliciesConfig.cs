namespace Gateway.Core.Configuration;

/// <summary>The policies a route applies before its handler: rate limits, CORS and caching naming policies defined at the top level, and its IP filter.</summary>
public sealed record RoutePoliciesConfig
{
    /// <summary>Names of rate-limit policies (from "rateLimits"), all applied, in order.</summary>
    public List<string> RateLimit { get; set; } = [];

    /// <summary>The client addresses that may use the route (on top of the gateway's own <c>ipFilter</c>); null lets every address.</summary>
    public IpFilterConfig? IpFilter { get; set; }

    /// <summary>The name of the CORS policy (from "cors") that answers the route's preflights and grants its cross-origin responses; null for none.</summary>
    public string? Cors { get; set; }

    /// <summary>The name of the cache (from "caches") that stores the route's GET responses and answers from them; null for none.</summary>
    public string? Cache { get; set; }

    /// <summary>Names of "authentication" entries; a request must satisfy one of them (401 otherwise).</summary>
    public List<string> Authentication { get; set; } = [];

    /// <summary>What an authenticated caller must hold (scopes, roles, claim values); null requires nothing beyond authentication.</summary>
    public AuthorizationConfig? Authorization { get; set; }

    /// <summary>Fields sent to the upstream with the caller's identity, by field name: "consumer" or a claim's name.</summary>
    public Dictionary<string, string> IdentityHeaders { get; set; } = [];
}
