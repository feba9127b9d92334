namespace Gateway.Core.Configuration;

/// <summary>TLS termination for the <c>https://</c> listeners: the certificates to serve, chosen by the name the client asks for (SNI), and HSTS.</summary>
public sealed record TlsConfig
{
    /// <summary>The certificates; the one without <c>hosts</c> (else the first) answers names no other lists.</summary>
    public List<TlsCertificateConfig> Certificates { get; set; } = [];

    /// <summary>The <c>Strict-Transport-Security</c> field sent on every response over TLS, or null for none.</summary>
    public HstsConfig? Hsts { get; set; }
}
