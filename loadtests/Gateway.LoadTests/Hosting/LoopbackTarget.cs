using System.Net;

namespace Gateway.LoadTests.Hosting;

/// <summary>Checks a <c>--target</c>: load is only ever sent to this machine (127.0.0.0/8, ::1 or localhost).</summary>
internal static class LoopbackTarget
{
    /// <summary>The base address, or an error saying why <paramref name="text"/> is refused.</summary>
    public static (Uri? Target, string? Error) Parse(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            return (null, $"--target '{text}' is not an http:// URL");
        }

        var loopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
        return loopback
            ? (new Uri(uri.GetLeftPart(UriPartial.Authority)), null)
            : (null, $"--target '{text}' is not a loopback address: load tests only target this machine (127.0.0.0/8, [::1], localhost)");
    }
}
