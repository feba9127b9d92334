using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http;

namespace Gateway.Core.Upstreams;

/// <summary>
/// The HTTP/2 transport of an <c>h2c</c> or <c>h2</c> cluster: one <see cref="SocketsHttpHandler"/> (HttpClient's engine) for
/// all its destinations, several HTTP/2 connections per destination when one runs out of streams, tuned as a proxy's (no
/// proxy, redirects, cookies, decompression or header propagation). Outlives the snapshot that made it until its last request ends.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "Held by a snapshot and its requests: the last Release closes it, not a Dispose.")]
public sealed class Http2Upstream
{
    private readonly HttpMessageInvoker _invoker;
    private int _holders = 1;

    /// <summary>A transport for <paramref name="protocol"/> whose connections follow <paramref name="pool"/> and, for h2, <paramref name="tls"/>.</summary>
    public Http2Upstream(UpstreamProtocol protocol, PoolSettings pool, UpstreamTls tls)
    {
        (Protocol, Pool, Tls) = (protocol, pool, tls);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = pool.ConnectTimeout,
            PooledConnectionIdleTimeout = pool.IdleTimeout,
            PooledConnectionLifetime = pool.Lifetime,
            MaxConnectionsPerServer = pool.MaxConnections,
            ActivityHeadersPropagator = null,
        };
        if (protocol == UpstreamProtocol.H2)
        {
            handler.SslOptions = tls.Http2Options();
        }

        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <summary>h2c or h2.</summary>
    public UpstreamProtocol Protocol { get; }

    /// <summary>How the connections are opened and kept.</summary>
    public PoolSettings Pool { get; }

    /// <summary>How h2 connections are secured.</summary>
    public UpstreamTls Tls { get; }

    /// <summary>
    /// This transport for a cluster of the next snapshot when it was made with the same settings (its connections carry over
    /// a reload), or a new one; either way held once by that snapshot.
    /// </summary>
    public static Http2Upstream For(Http2Upstream? running, UpstreamProtocol protocol, PoolSettings pool, UpstreamTls tls) =>
        running is not null && running.Protocol == protocol && running.Pool == pool && running.Tls.Equals(tls) && running.TryAcquire()
            ? running
            : new Http2Upstream(protocol, pool, tls);

    /// <summary>Counts a request in; false when the transport was already released by its snapshot and its last request (a reload raced the request).</summary>
    public bool TryAcquire()
    {
        var holders = Volatile.Read(ref _holders);
        while (holders > 0)
        {
            var seen = Interlocked.CompareExchange(ref _holders, holders + 1, holders);
            if (seen == holders)
            {
                return true;
            }

            holders = seen;
        }

        return false;
    }

    /// <summary>Counts a request (or, once, the snapshot) out; the last one out closes the connections.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _holders) == 0)
        {
            _invoker.Dispose();
        }
    }

    /// <summary>Sends <paramref name="request"/>; returns once the response head arrived (the body streams after).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _invoker.SendAsync(request, cancellationToken);
}
