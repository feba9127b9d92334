namespace Gateway.Core.Upstreams;

/// <summary>The protocol a cluster's destinations are spoken to in: a cluster's <c>protocol</c>.</summary>
public enum UpstreamProtocol
{
    /// <summary>HTTP/1.1 over the gateway's own pooled connections (plain or TLS, as each destination's scheme says).</summary>
    Http1,

    /// <summary>HTTP/2 with prior knowledge over plain TCP (http:// destinations).</summary>
    H2c,

    /// <summary>HTTP/2 over TLS chosen by ALPN (https:// destinations).</summary>
    H2,
}
