using System.Net;

namespace Gateway.Core.Configuration;

/// <summary>Reads a listen URL such as <c>http://0.0.0.0:8080</c>, <c>http://localhost:0</c> or <c>http://[::]:80</c> as an endpoint.</summary>
public static class ListenAddress
{
    /// <summary>The endpoint for <paramref name="url"/>, or false with what is wrong with it.</summary>
    public static bool TryParse(string? url, out IPEndPoint endPoint, out string problem)
    {
        endPoint = new IPEndPoint(IPAddress.Any, 0);
        problem = "";
        if (string.IsNullOrWhiteSpace(url)
            || (!Uri.TryCreate(url, UriKind.Absolute, out var uri) && !Uri.TryCreate(url.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal), UriKind.Absolute, out uri)))
        {
            problem = $"\"{url}\" is not a URL such as http://0.0.0.0:8080";
            return false;
        }

        if (uri.Scheme != Uri.UriSchemeHttp)
        {
            problem = $"\"{url}\": only http:// listeners are supported until TLS termination lands";
            return false;
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0)
        {
            problem = $"\"{url}\" must not have a path or query";
            return false;
        }

        var host = uri.Host;
        IPAddress? address = host is "localhost" ? IPAddress.Loopback
            : host is "*" or "+" ? IPAddress.Any
            : IPAddress.TryParse(host.Trim('[', ']'), out var parsed) ? parsed
            : null;
        if (address is null)
        {
            problem = $"\"{url}\": listen on an IP address, localhost or *";
            return false;
        }

        endPoint = new IPEndPoint(address, uri.Port);
        return true;
    }

    /// <summary>The endpoint for <paramref name="url"/>; <paramref name="variable"/> names the environment variable in the error.</summary>
    public static IPEndPoint Parse(string url, string variable) =>
        TryParse(url, out var endPoint, out var problem) ? endPoint : throw new ConfigException("environment", variable, problem);
}
