using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Core.Http;

namespace Gateway.Core.Upstreams;

/// <summary>
/// How the gateway's requests, written as HTTP/1.1 field lines, become HttpClient's HTTP/2 messages, and how their answers'
/// fields come back: what HTTP/2 forbids or carries otherwise (RFC 9113 §8.2.2) is left out on the way up.
/// </summary>
internal static class Http2Messages
{
    /// <summary>Adds the CRLF-separated <c>Name: value</c> lines of <paramref name="lines"/> that HTTP/2 may carry to <paramref name="fields"/>.</summary>
    public static void AddFieldLines(string lines, List<(string Name, string Value)> fields)
    {
        foreach (var line in lines.Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (name, value) = (line[..colon], line[(colon + 1)..].Trim());
            if (CarriedByHttp2(name, value))
            {
                fields.Add((name, value));
            }
        }
    }

    /// <summary>An HTTP/2 request (never downgraded) with <paramref name="fields"/>, those describing the content set on it.</summary>
    public static HttpRequestMessage Request(HttpMethod method, Uri uri, HttpContent? content, List<(string Name, string Value)> fields)
    {
        var request = new HttpRequestMessage(method, uri)
        {
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        foreach (var (name, value) in fields)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    /// <summary>
    /// Adds an answer's fields to <paramref name="fields"/>; of <paramref name="trailers"/>, only those a response may relay at
    /// all, so that no framing, hop-by-hop or gateway field ever arrives after the body.
    /// </summary>
    public static void AddAnswerFields(FieldList fields, HttpHeadersNonValidated headers, bool trailers)
    {
        Span<byte> name = stackalloc byte[256];
        foreach (var (key, values) in headers)
        {
            var bytes = key.Length <= name.Length ? name[..Encoding.Latin1.GetBytes(key, name)] : Encoding.Latin1.GetBytes(key);
            if (trailers && !HeaderRules.RelaysInResponse(HeaderRules.Identify(bytes)))
            {
                continue;
            }

            foreach (var value in values)
            {
                fields.Add(bytes, value);
            }
        }
    }

    /// <summary>False for the fields HTTP/2 forbids or carries otherwise: connection-specific ones, framing, and a TE other than trailers.</summary>
    private static bool CarriedByHttp2(string name, string value) =>
        !(name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
          || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase)
          || name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase)
          || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
          || name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase)
          || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
          || (name.Equals("TE", StringComparison.OrdinalIgnoreCase) && !value.Equals("trailers", StringComparison.OrdinalIgnoreCase)));
}
