namespace Gateway.Core.Proxy;

/// <summary>
/// Facts about the client connection that forwarding headers report upstream; <paramref name="TrustedProxy"/> says the
/// peer is a proxy whose own X-Forwarded-* fields are believed and extended rather than replaced.
/// </summary>
public sealed record ClientInfo(string RemoteAddress, string Scheme, bool TrustedProxy = false);
