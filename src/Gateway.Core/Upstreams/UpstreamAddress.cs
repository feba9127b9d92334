using System.Net;
using System.Text;

namespace Gateway.Core.Upstreams;

/// <summary>A destination URL taken apart once, at load: where to connect, whether to use TLS, the Host field and the base path.</summary>
public sealed class UpstreamAddress
{
    /// <summary>Parses a destination URL already checked by the configuration validator (absolute http or https, no query).</summary>
    public UpstreamAddress(string url)
    {
        var uri = new Uri(url, UriKind.Absolute);
        Tls = uri.Scheme == Uri.UriSchemeHttps;
        Host = uri.IdnHost.Trim('[', ']');
        Port = uri.Port;
        EndPoint = IPAddress.TryParse(Host, out var ip) ? new IPEndPoint(ip, Port) : new DnsEndPoint(Host, Port);
        var authority = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var slash = authority.IndexOf('/', StringComparison.Ordinal);
        HostField = Encoding.ASCII.GetBytes(slash < 0 ? authority : authority[..slash]);
        BasePath = slash < 0 ? [] : Encoding.ASCII.GetBytes(authority[slash..].TrimEnd('/'));
    }

    /// <summary>True for https destinations: the connection is wrapped in TLS.</summary>
    public bool Tls { get; }

    /// <summary>The host name or address (the TLS server name).</summary>
    public string Host { get; }

    /// <summary>The TCP port.</summary>
    public int Port { get; }

    /// <summary>Where to connect.</summary>
    public EndPoint EndPoint { get; }

    /// <summary>The value of the Host field sent upstream: the URL's authority as written (host and optional port).</summary>
    public byte[] HostField { get; }

    /// <summary>The path prefix every forwarded path is appended to, without a trailing slash; empty when none.</summary>
    public byte[] BasePath { get; }
}
