namespace Gateway.Core.Pipeline;

/// <summary>
/// Facts about a client connection: the socket peer's address, the scheme it connected with, whether the peer is a
/// proxy in <c>GATEWAY_TRUSTED_PROXIES</c>, whose X-Forwarded-* fields are believed and extended rather than replaced, and
/// the number of the listener it came on (0: the default listeners; see <c>FrontendRoutes.ListenerOf</c>), which decides the
/// frontend whose routes serve it, and whether it speaks HTTP/2 (its requests then reach the engine in their HTTP/1.1 form,
/// and the access log and <c>Via</c> name HTTP/2).
/// </summary>
public sealed record ClientInfo(string PeerAddress, string Scheme, bool TrustedProxy = false, int Listener = 0, bool Http2 = false)
{
    /// <summary>True when the client connected over TLS.</summary>
    public bool IsHttps { get; } = Scheme == "https";
}
