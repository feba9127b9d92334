using System.Net;
using Gateway.Core.Configuration;

namespace Gateway.Host;

/// <summary>Turns a listen URL such as <c>http://0.0.0.0:8080</c>, <c>http://localhost:0</c> or <c>http://[::]:80</c> into an endpoint.</summary>
internal static class ListenAddress
{
    /// <summary>The endpoint for <paramref name="url"/>; <paramref name="variable"/> names the setting in errors.</summary>
    public static IPEndPoint Parse(string url, string variable)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) && !Uri.TryCreate(url.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal), UriKind.Absolute, out uri))
        {
            throw new ConfigException("environment", variable, $"\"{url}\" is not a URL such as http://0.0.0.0:8080");
        }

        if (uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new ConfigException("environment", variable, $"\"{url}\": only http:// listeners are supported until TLS termination lands");
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0)
        {
            throw new ConfigException("environment", variable, $"\"{url}\" must not have a path or query");
        }

        var host = uri.Host;
        var address = host is "localhost" ? IPAddress.Loopback
            : host is "*" or "+" ? IPAddress.Any
            : IPAddress.TryParse(host.Trim('[', ']'), out var parsed) ? parsed
            : throw new ConfigException("environment", variable, $"\"{url}\": listen on an IP address, localhost or *");
        return new IPEndPoint(address, uri.Port);
    }
}
