namespace Gateway.Core.Configuration;

/// <summary>Client addresses let in or kept out, as written: CIDR networks (<c>10.0.0.0/8</c>, <c>2001:db8::/32</c>) or single addresses.</summary>
public sealed record IpFilterConfig
{
    /// <summary>When not empty, only clients in one of these networks get through.</summary>
    public List<string> Allow { get; set; } = [];

    /// <summary>Clients in any of these networks are refused, even when an allowed network holds them too.</summary>
    public List<string> Deny { get; set; } = [];
}
