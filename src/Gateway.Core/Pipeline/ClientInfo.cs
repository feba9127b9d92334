namespace Gateway.Core.Pipeline;

/// <summary>
/// Facts about a client connection: the socket peer's address, the scheme it connected with, and whether the peer is a
/// proxy in <c>GATEWAY_TRUSTED_PROXIES</c>, whose X-Forwarded-* fields are believed and extended rather than replaced.
/// </summary>
public sealed record ClientInfo(string PeerAddress, string Scheme, bool TrustedProxy = false)
{
    /// <summary>True when the client connected over TLS.</summary>
    public bool IsHttps { get; } = Scheme == "https";
}
