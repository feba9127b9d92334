using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>
/// A private CA made for one test, with a server certificate for <c>orders.internal</c> and a client certificate for the
/// gateway, both signed by it; the CA and the client certificate with its key are written as PEM files in a folder of their own.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-tls-").FullName;

    /// <summary>Makes the CA and both certificates and writes the PEM files.</summary>
    public TestCertificates()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Gateway Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Authority = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Server = Issue("CN=orders.internal", ["orders.internal"], "1.3.6.1.5.5.7.3.1");
        Client = Issue("CN=gateway", [], "1.3.6.1.5.5.7.3.2");
        File.WriteAllText(CaFile, Authority.ExportCertificatePem());
        File.WriteAllText(ClientCertFile, Client.ExportCertificatePem());
        File.WriteAllText(ClientKeyFile, Client.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>The CA.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The server certificate (with its key) for <c>orders.internal</c>.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>The client certificate (with its key) for the gateway.</summary>
    public X509Certificate2 Client { get; }

    /// <summary>The CA as a PEM file.</summary>
    public string CaFile => Path.Combine(_folder, "ca.pem");

    /// <summary>The client certificate as a PEM file.</summary>
    public string ClientCertFile => Path.Combine(_folder, "gw.pem");

    /// <summary>The client key as a PEM file.</summary>
    public string ClientKeyFile => Path.Combine(_folder, "gw.key");

    /// <summary>
    /// Issues a server certificate for <paramref name="dnsNames"/> (subject <paramref name="subject"/>) and writes it and its
    /// key as PEM files <paramref name="certFile"/> and <paramref name="keyFile"/>, the way a certificate is deployed or renewed.
    /// </summary>
    public X509Certificate2 WriteServerPem(string certFile, string keyFile, string subject, params string[] dnsNames)
    {
        var issued = Issue($"CN={subject}", dnsNames, "1.3.6.1.5.5.7.3.1");
        File.WriteAllText(keyFile, issued.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certFile, issued.ExportCertificatePem());
        return issued;
    }

    /// <summary>True when <paramref name="certificate"/> was signed by this test's CA.</summary>
    public bool Signed(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
        Client.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private X509Certificate2 Issue(string subject, string[] dnsNames, string usage)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (dnsNames.Length > 0)
        {
            var names = new SubjectAlternativeNameBuilder();
            foreach (var dnsName in dnsNames)
            {
                names.AddDnsName(dnsName);
            }

            request.CertificateExtensions.Add(names.Build());
        }

        using var issued = request.Create(Authority, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
