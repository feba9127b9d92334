namespace Gateway.Core.Sockets;

/// <summary>How the gateway's sockets wait for and move bytes (GATEWAY_TRANSPORT).</summary>
public enum TransportKind
{
    /// <summary>Its own epoll loops, which read only on readiness (Linux only; the default there).</summary>
    Epoll,

    /// <summary>.NET's sockets (Kestrel's socket transport on the client side), which try every read before they wait.</summary>
    Sockets,
}
