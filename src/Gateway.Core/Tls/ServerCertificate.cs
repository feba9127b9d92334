using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Core.Tls;

/// <summary>
/// One certificate read from its PEM files and ready for handshakes: the TLS options that serve it (TLS 1.2 and 1.3 only,
/// ALPN <c>h2</c> and <c>http/1.1</c>, no renegotiation, intermediates sent with it) and the fingerprint of the files it came from.
/// </summary>
internal sealed class ServerCertificate
{
    /// <summary>The largest certificate or key file read; anything bigger is not a PEM certificate.</summary>
    private const int MaxFileBytes = 1 << 20;

    private ServerCertificate(SslServerAuthenticationOptions options, byte[] fingerprint, DateTime notAfter)
    {
        Options = options;
        Fingerprint = fingerprint;
        NotAfter = notAfter;
    }

    /// <summary>What a handshake that picks this certificate runs with; shared by every handshake, never changed.</summary>
    public SslServerAuthenticationOptions Options { get; }

    /// <summary>The SHA-256 of the certificate file's and the key file's contents.</summary>
    public byte[] Fingerprint { get; }

    /// <summary>When the certificate expires (UTC).</summary>
    public DateTime NotAfter { get; }

    /// <summary>Reads both files and their fingerprint; throws <see cref="IOException"/> when one cannot be read.</summary>
    public static (byte[] Cert, byte[] Key, byte[] Fingerprint) ReadFiles(string certPath, string keyPath)
    {
        var cert = Read(certPath);
        var key = Read(keyPath);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(cert);
        hash.AppendData(key);
        return (cert, key, hash.GetHashAndReset());
    }

    /// <summary>Loads the certificate chain and its private key; throws <see cref="CryptographicException"/> saying what is wrong with them.</summary>
    public static ServerCertificate Load(byte[] certPem, byte[] keyPem, byte[] fingerprint)
    {
        var certText = System.Text.Encoding.ASCII.GetString(certPem);
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(certText);
        if (chain.Count == 0)
        {
            throw new CryptographicException("the certificate file holds no PEM certificate");
        }

        X509Certificate2 leaf;
        try
        {
            leaf = X509Certificate2.CreateFromPem(certText, System.Text.Encoding.ASCII.GetString(keyPem));
        }
        catch (ArgumentException ex)
        {
            // CreateFromPem says "no supported key" for a missing or encrypted key.
            throw new CryptographicException($"the key file holds no unencrypted private key for the certificate ({ex.Message})", ex);
        }

        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < chain.Count; i++)
        {
            intermediates.Add(chain[i]);
        }

        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(leaf, intermediates, offline: true),
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            AllowRenegotiation = false,
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        return new ServerCertificate(options, fingerprint, leaf.NotAfter.ToUniversalTime());
    }

    private static byte[] Read(string path)
    {
        using var file = File.OpenRead(path);
        if (file.Length > MaxFileBytes)
        {
            throw new IOException($"{path} is larger than 1 MiB");
        }

        var bytes = new byte[file.Length];
        file.ReadExactly(bytes);
        return bytes;
    }
}
