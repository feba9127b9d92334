using System.Text;
using Gateway.Core.Http;

namespace Gateway.Core.Proxy;

/// <summary>Turns header name bytes into strings, returning shared instances for common names so they cost no allocation.</summary>
internal static class HeaderNames
{
    private static readonly string[] Common =
    [
        "Accept", "Accept-Encoding", "Accept-Language", "Authorization", "Cache-Control", "Content-Type", "Cookie",
        "If-Modified-Since", "If-None-Match", "Origin", "Pragma", "Referer", "User-Agent", "X-Request-Id",
        "traceparent", "tracestate", "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-Dest", "Priority",
    ];

    private static readonly byte[][] CommonBytes = Array.ConvertAll(Common, Encoding.ASCII.GetBytes);

    /// <summary>The name as a string: a shared instance when it is a common one (any case), else a new string.</summary>
    public static string Get(ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < CommonBytes.Length; i++)
        {
            if (CommonBytes[i].Length == name.Length && HttpSyntax.EqualsIgnoreCase(CommonBytes[i], name))
            {
                return Common[i];
            }
        }

        return Encoding.ASCII.GetString(name);
    }
}
