using System.Net;
using System.Text;
using Gateway.Core.Configuration;

namespace Gateway.Core.Upstreams;

/// <summary>Builds the tuned <see cref="SocketsHttpHandler"/> behind each cluster's <see cref="HttpMessageInvoker"/>.</summary>
public static class UpstreamClientFactory
{
    /// <summary>A client for one cluster: no proxy, redirects, cookies, decompression or trace propagation; long-lived pooled connections.</summary>
    public static HttpMessageInvoker Create(UpstreamSettings settings) => new(
        new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = null,
            ConnectTimeout = settings.ConnectTimeout,
            PooledConnectionIdleTimeout = settings.PooledConnectionIdleTimeout,
            PooledConnectionLifetime = System.Threading.Timeout.InfiniteTimeSpan,
            MaxConnectionsPerServer = settings.MaxConnectionsPerDestination,

            // The front accepts obs-text in field values (RFC 9110 §5.5) and carries them as Latin-1 strings, one char
            // per byte; encoding them back as Latin-1 sends the client's exact bytes (the default refuses non-ASCII).
            RequestHeaderEncodingSelector = static (_, _) => Encoding.Latin1,
        },
        disposeHandler: true);
}
