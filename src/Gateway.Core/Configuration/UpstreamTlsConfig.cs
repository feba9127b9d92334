namespace Gateway.Core.Configuration;

/// <summary>TLS toward a cluster's https destinations.</summary>
public sealed record UpstreamTlsConfig
{
    /// <summary>A PEM bundle of the CAs to trust instead of the system's.</summary>
    public string? Ca { get; set; }

    /// <summary>The server name sent (SNI) and checked in the certificate; null uses the destination's host.</summary>
    public string? Sni { get; set; }

    /// <summary>A PEM client certificate for services that require mutual TLS (with <see cref="ClientKey"/>).</summary>
    public string? ClientCert { get; set; }

    /// <summary>The PEM private key of <see cref="ClientCert"/>.</summary>
    public string? ClientKey { get; set; }
}
