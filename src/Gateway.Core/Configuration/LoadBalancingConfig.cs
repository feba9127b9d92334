using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Core.Configuration;

/// <summary>How a cluster picks a destination; consistent hashing also names the key it hashes.</summary>
public sealed record LoadBalancingConfig
{
    /// <summary>The policy.</summary>
    public LoadBalancingMode Policy { get; set; }

    /// <summary>What consistent hashing hashes: a header, a cookie, or the client's address.</summary>
    public HashKeyKind? Key { get; set; }

    /// <summary>The header whose value is hashed, with <see cref="HashKeyKind.Header"/>.</summary>
    public string? Header { get; set; }

    /// <summary>The cookie whose value is hashed, with <see cref="HashKeyKind.Cookie"/>.</summary>
    public string? Cookie { get; set; }
}
