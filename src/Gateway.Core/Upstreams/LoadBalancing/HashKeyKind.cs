namespace Gateway.Core.Upstreams.LoadBalancing;

/// <summary>What consistent hashing keys a request by.</summary>
public enum HashKeyKind
{
    /// <summary>The value of a request header.</summary>
    Header,

    /// <summary>The value of a cookie.</summary>
    Cookie,

    /// <summary>The client's address.</summary>
    ClientIp,
}
