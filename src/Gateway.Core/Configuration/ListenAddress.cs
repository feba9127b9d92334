using System.Net;

namespace Gateway.Core.Configuration;

/// <summary>
/// A listen URL read as an endpoint: <c>http://0.0.0.0:8080</c>, <c>http://localhost:0</c>, <c>http://[::]:80</c>, or
/// <c>https://0.0.0.0:8443</c> for TLS with the configuration's certificates, or <c>h2c://0.0.0.0:8082</c> for HTTP/2 with prior
/// knowledge (no TLS).
/// </summary>
/// <param name="EndPoint">The address and port to bind.</param>
/// <param name="Https">True for an <c>https://</c> listener: TLS is terminated before requests are read.</param>
/// <param name="H2c">True for an <c>h2c://</c> listener: cleartext HTTP/2 with prior knowledge, served by Kestrel's HTTP/2.</param>
public sealed record ListenAddress(IPEndPoint EndPoint, bool Https, bool H2c = false)
{
    /// <summary>The scheme of <c>h2c://</c> listeners.</summary>
    public const string H2cScheme = "h2c";

    /// <summary>The listener for <paramref name="url"/>, or false with what is wrong with it.</summary>
    public static bool TryParse(string? url, out ListenAddress address, out string problem)
    {
        address = new ListenAddress(new IPEndPoint(IPAddress.Any, 0), false);
        problem = "";
        if (string.IsNullOrWhiteSpace(url)
            || (!Uri.TryCreate(url, UriKind.Absolute, out var uri) && !Uri.TryCreate(url.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal), UriKind.Absolute, out uri)))
        {
            problem = $"\"{url}\" is not a URL such as http://0.0.0.0:8080";
            return false;
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != H2cScheme)
        {
            problem = $"\"{url}\": a listener is http://, https:// or h2c://";
            return false;
        }

        if (uri.Port < 0)
        {
            problem = $"\"{url}\": an h2c:// listener names its port";
            return false;
        }

        if (uri.AbsolutePath is not ("/" or "") || uri.Query.Length > 0)
        {
            problem = $"\"{url}\" must not have a path or query";
            return false;
        }

        var host = uri.Host;
        IPAddress? ip = host is "localhost" ? IPAddress.Loopback
            : host is "*" or "+" ? IPAddress.Any
            : IPAddress.TryParse(host.Trim('[', ']'), out var parsed) ? parsed
            : null;
        if (ip is null)
        {
            problem = $"\"{url}\": listen on an IP address, localhost or *";
            return false;
        }

        address = new ListenAddress(new IPEndPoint(ip, uri.Port), uri.Scheme == Uri.UriSchemeHttps, uri.Scheme == H2cScheme);
        return true;
    }

    /// <summary>
    /// True when this listener and <paramref name="other"/> cannot both be bound: the same port (other than 0, which picks a
    /// free one) on the same address, or on the any address of either.
    /// </summary>
    public bool Overlaps(ListenAddress other) =>
        EndPoint.Port != 0 && EndPoint.Port == other.EndPoint.Port
        && (EndPoint.Address.Equals(other.EndPoint.Address) || IsAny(EndPoint.Address) || IsAny(other.EndPoint.Address));

    /// <summary>The listener for <paramref name="url"/>; <paramref name="variable"/> names the environment variable in the error.</summary>
    public static ListenAddress Parse(string url, string variable) =>
        TryParse(url, out var address, out var problem) ? address : throw new ConfigException("environment", variable, problem);

    private static bool IsAny(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
}
