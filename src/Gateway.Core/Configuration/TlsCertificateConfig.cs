namespace Gateway.Core.Configuration;

/// <summary>One certificate as written: PEM files (relative paths from the configuration file's folder) and the names it serves.</summary>
public sealed record TlsCertificateConfig
{
    /// <summary>The PEM certificate file: the server's certificate first, then any intermediates, which are sent with it.</summary>
    public string Cert { get; set; } = "";

    /// <summary>The PEM private key file (unencrypted PKCS#8, PKCS#1 or SEC1).</summary>
    public string Key { get; set; } = "";

    /// <summary>The names it is served for (<c>api.example.com</c>, or <c>*.example.com</c> for one more label); empty makes it the default.</summary>
    public List<string> Hosts { get; set; } = [];
}
