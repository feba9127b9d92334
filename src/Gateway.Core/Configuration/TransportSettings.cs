using Gateway.Core.Sockets;

namespace Gateway.Core.Configuration;

/// <summary>Transport settings for the public listeners (and the choice of transport for the upstream connections too).</summary>
public sealed record TransportSettings
{
    /// <summary>The transport of the public listeners and of the HTTP/1.1 upstream connections.</summary>
    public TransportKind Kind { get; init; } = TransportKinds.PlatformDefault;

    /// <summary>Socket IO queues; 0 keeps Kestrel's default (one per core, at most 16).</summary>
    public int IoQueueCount { get; init; }

    /// <summary>Run connection code inline on the IO thread instead of the thread pool, with Kestrel's socket transport (on by default: the gateway never blocks); the epoll transport always does.</summary>
    public bool InlineScheduling { get; init; } = true;

    /// <summary>Complete socket operations inline on the epoll thread (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS); on by default.</summary>
    public bool InlineCompletions { get; init; } = true;

    /// <summary>Bytes buffered from a client before Kestrel's socket transport stops reading; with the epoll transport, which reads only when asked, the most a connection may hold unconsumed.</summary>
    public long MaxReadBufferBytes { get; init; } = 1024 * 1024;

    /// <summary>Bytes buffered toward a client before writes wait, with Kestrel's socket transport (the epoll transport's flush ends once the kernel took the bytes).</summary>
    public long MaxWriteBufferBytes { get; init; } = 64 * 1024;

    /// <summary>Most open client connections; 0 means no cap. More are answered 503 and closed.</summary>
    public long MaxConnections { get; init; }

    /// <summary>Most open connections from one client address (the socket peer); 0 means no cap. More are answered 503 and closed.</summary>
    public int MaxConnectionsPerClient { get; init; }
}
