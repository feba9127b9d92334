namespace Gateway.Core.Configuration;

/// <summary>The policies a route applies before forwarding, each naming a policy defined at the top level.</summary>
public sealed record RoutePoliciesConfig
{
    /// <summary>Names of rate-limit policies (from "rateLimits"), all applied, in order.</summary>
    public List<string> RateLimit { get; set; } = [];
}
