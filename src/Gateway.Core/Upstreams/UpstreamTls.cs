using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Core.Upstreams;

/// <summary>
/// How a cluster's https destinations are reached: the CAs trusted (the system's, or a bundle of the cluster's own), the
/// server name sent and checked, and a client certificate for mutual TLS. Built once per cluster from the files as they are
/// then; equal when the settings and the files' contents are (so a reload picks up a renewed certificate).
/// </summary>
public sealed class UpstreamTls : IEquatable<UpstreamTls>
{
    private readonly X509Certificate2Collection? _trusted;
    private readonly X509Certificate2? _clientCertificate;
    private readonly string _contents = "";

    /// <summary>TLS with the system's CAs and the destination's own host name.</summary>
    public static UpstreamTls Default { get; } = new(null, null, null, null);

    /// <summary>Reads <paramref name="caFile"/> (PEM bundle) and the client certificate files; throws <see cref="IOException"/> or <see cref="System.Security.Cryptography.CryptographicException"/> when they cannot be read.</summary>
    public UpstreamTls(string? caFile, string? serverName, string? clientCertFile, string? clientKeyFile)
    {
        (CaFile, ServerName, ClientCertFile, ClientKeyFile) = (caFile, serverName, clientCertFile, clientKeyFile);
        if (caFile is not null)
        {
            _trusted = [];
            _trusted.ImportFromPemFile(caFile);
            _contents += Fingerprint(caFile);
        }

        if (clientCertFile is not null)
        {
            _contents += Fingerprint(clientCertFile) + Fingerprint(clientKeyFile!);
            // An ephemeral key cannot be sent in a handshake on every platform: export and reload it as PKCS#12.
            using var pem = X509Certificate2.CreateFromPemFile(clientCertFile, clientKeyFile);
            _clientCertificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
        }
    }

    /// <summary>The CA bundle file, or null for the system's CAs.</summary>
    public string? CaFile { get; }

    /// <summary>The server name to send and check, or null for the destination's host.</summary>
    public string? ServerName { get; }

    /// <summary>The client certificate file, or null.</summary>
    public string? ClientCertFile { get; }

    /// <summary>The client key file, or null.</summary>
    public string? ClientKeyFile { get; }

    /// <summary>The handshake options toward <paramref name="host"/>.</summary>
    public SslClientAuthenticationOptions OptionsFor(string host)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = ServerName ?? host,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        };
        if (_clientCertificate is not null)
        {
            options.ClientCertificates = [_clientCertificate];
        }

        if (_trusted is not null)
        {
            // Revocation is not checked, as with the system's CAs (SslStream's default): a private CA seldom publishes a CRL.
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(_trusted);
            options.CertificateChainPolicy = policy;
        }

        return options;
    }

    /// <summary>
    /// The handshake options of an h2 cluster's HTTP/2 transport: ALPN <c>h2</c>, the cluster's CAs and client certificate. The
    /// transport sends the destination's host as the server name (so <see cref="ServerName"/> is refused for h2 clusters).
    /// </summary>
    public SslClientAuthenticationOptions Http2Options()
    {
        var options = OptionsFor("");
        options.TargetHost = null;
        options.ApplicationProtocols = [SslApplicationProtocol.Http2];
        return options;
    }

    /// <inheritdoc/>
    public bool Equals(UpstreamTls? other) =>
        other is not null && (CaFile, ServerName, ClientCertFile, ClientKeyFile, _contents) == (other.CaFile, other.ServerName, other.ClientCertFile, other.ClientKeyFile, other._contents);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as UpstreamTls);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(CaFile, ServerName, ClientCertFile, ClientKeyFile, _contents);

    private static string Fingerprint(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
}
