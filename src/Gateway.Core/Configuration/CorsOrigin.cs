using System.Text;

namespace Gateway.Core.Configuration;

/// <summary>
/// One allowed origin: exact (<c>https://app.example.com</c>, <c>http://localhost:3000</c>) or with a wildcard first label
/// (<c>https://*.example.com</c>), which matches one or more labels before the dot and never the bare domain. Compared
/// without regard to case.
/// </summary>
/// <param name="Scheme">The scheme and separator, lower case (<c>https://</c>).</param>
/// <param name="HostAndPort">The exact host with its optional port, or for a wildcard the part after <c>*</c> (<c>.example.com</c>), lower case.</param>
/// <param name="Wildcard">True for a wildcard origin.</param>
public sealed record CorsOrigin(byte[] Scheme, byte[] HostAndPort, bool Wildcard)
{
    private static readonly System.Buffers.SearchValues<byte> HostChars =
        System.Buffers.SearchValues.Create("-.0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"u8);

    /// <summary>Reads an allowed origin as configured; false when it is not scheme://host[:port] with an optional leading <c>*.</c>.</summary>
    public static bool TryParse(string text, out CorsOrigin origin)
    {
        origin = null!;
        var separator = text.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0 || !(text[..separator] is "http" or "https"))
        {
            return false;
        }

        var rest = text[(separator + 3)..].ToLowerInvariant();
        var wildcard = rest.StartsWith("*.", StringComparison.Ordinal);
        var host = wildcard ? rest[2..] : rest;
        if (!IsHostAndPort(host))
        {
            return false;
        }

        origin = new CorsOrigin(Encoding.ASCII.GetBytes(text[..(separator + 3)]), Encoding.ASCII.GetBytes(wildcard ? rest[1..] : rest), wildcard);
        return true;
    }

    /// <summary>True when the request's <c>Origin</c> value <paramref name="value"/> is this origin.</summary>
    public bool Matches(ReadOnlySpan<byte> value)
    {
        if (value.Length <= Scheme.Length || !Ascii.EqualsIgnoreCase(value[..Scheme.Length], Scheme))
        {
            return false;
        }

        var rest = value[Scheme.Length..];
        if (!Wildcard)
        {
            return Ascii.EqualsIgnoreCase(rest, HostAndPort);
        }

        // The labels the '*' stands for: at least one character, only what a host name holds, and the match ends at the dot.
        var labels = rest.Length - HostAndPort.Length;
        return labels > 0
            && Ascii.EqualsIgnoreCase(rest[labels..], HostAndPort)
            && rest[0] != (byte)'.'
            && !rest[..labels].ContainsAnyExcept(HostChars);
    }

    private static bool IsHostAndPort(string text)
    {
        var colon = text.LastIndexOf(':');
        var host = colon < 0 ? text : text[..colon];
        if (colon >= 0 && !(ushort.TryParse(text[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port > 0))
        {
            return false;
        }

        return host.Length > 0 && host.Split('.').All(label => label.Length > 0 && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
    }
}
