using System.Net;
using System.Text;
using Gateway.Core.Http;

namespace Gateway.Core.Pipeline;

/// <summary>
/// Finds the real client's address behind trusted proxies: X-Forwarded-For is walked from the right (the entry the
/// nearest proxy added) to the first address that is not a trusted proxy. Only a trusted peer's X-Forwarded-For is read
/// at all; from any other peer the client is the peer. An entry that is not an address ends the walk at the last trusted
/// hop, since nothing to its left can be vouched for.
/// </summary>
internal static class ClientAddress
{
    private const int MaxAddressChars = 64;

    /// <summary>The client address for <paramref name="head"/> arriving from the trusted peer <paramref name="peer"/>.</summary>
    public static string Resolve(RequestHead head, string peer, IReadOnlyList<IPNetwork> trustedProxies)
    {
        var client = peer;
        for (var field = head.HeaderCount - 1; field >= 0; field--)
        {
            if (head.Headers[field].Known != KnownHeader.XForwardedFor)
            {
                continue;
            }

            var list = head.ValueOf(field);
            while (!list.IsEmpty)
            {
                var comma = list.LastIndexOf((byte)',');
                var entry = list[(comma + 1)..].Trim(" \t"u8);
                list = comma < 0 ? default : list[..comma];
                if (entry.IsEmpty)
                {
                    continue;
                }

                if (!TryParse(entry, out var address))
                {
                    return client;
                }

                client = address.ToString();
                if (!IsTrusted(address, trustedProxies))
                {
                    return client;
                }
            }
        }

        return client;
    }

    /// <summary>Reads an X-Forwarded-For entry: an IPv4 or IPv6 address, optionally with a port (<c>1.2.3.4:5</c>, <c>[::1]:5</c>).</summary>
    private static bool TryParse(ReadOnlySpan<byte> entry, out IPAddress address)
    {
        address = IPAddress.None;
        if (entry.Length > MaxAddressChars)
        {
            return false;
        }

        if (entry[0] == (byte)'[')
        {
            var close = entry.IndexOf((byte)']');
            entry = close < 0 ? default : entry[1..close];
        }
        else if (entry.IndexOf((byte)':') is var colon and > 0 && entry.LastIndexOf((byte)':') == colon)
        {
            entry = entry[..colon];
        }

        Span<char> chars = stackalloc char[MaxAddressChars];
        var length = Encoding.ASCII.GetChars(entry, chars);
        if (!IPAddress.TryParse(chars[..length], out var parsed))
        {
            return false;
        }

        address = parsed.IsIPv4MappedToIPv6 ? parsed.MapToIPv4() : parsed;
        return true;
    }

    private static bool IsTrusted(IPAddress address, IReadOnlyList<IPNetwork> trustedProxies)
    {
        foreach (var network in trustedProxies)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
