using System.Text;
using Gateway.Core.Http;
using Gateway.Core.Pipeline;
using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Core.Proxy;

/// <summary>Finds and hashes what a consistent-hashing cluster keys a request by: a header's value, a cookie's value, or the client's address.</summary>
internal static class RequestHashKey
{
    /// <summary>The hash of the request's key, or null when the request has none (an absent or empty header or cookie).</summary>
    public static ulong? Of(RequestContext context, HashKey key)
    {
        if (key.Kind == HashKeyKind.ClientIp)
        {
            // An address is at most 45 characters (IPv6 with an IPv4 tail), all ASCII.
            var address = context.ClientAddress.AsSpan(0, Math.Min(context.ClientAddress.Length, 64));
            Span<byte> bytes = stackalloc byte[64];
            return KeyHash.Of(bytes[..Encoding.ASCII.GetBytes(address, bytes)]);
        }

        var value = key.Kind == HashKeyKind.Header ? context.Head.FirstValueOf(key.NameBytes) : CookieValue(context.Head, key.NameBytes);
        return value.IsEmpty ? null : KeyHash.Of(value);
    }

    /// <summary>The value of the first cookie named <paramref name="name"/> in the request's Cookie fields; empty when there is none.</summary>
    private static ReadOnlySpan<byte> CookieValue(RequestHead head, ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < head.HeaderCount; i++)
        {
            if (!HttpSyntax.EqualsIgnoreCase(head.NameOf(i), "Cookie"u8))
            {
                continue;
            }

            var rest = head.ValueOf(i);
            while (!rest.IsEmpty)
            {
                var end = rest.IndexOf((byte)';');
                var pair = (end < 0 ? rest : rest[..end]).Trim(" \t"u8);
                rest = end < 0 ? default : rest[(end + 1)..];
                var equals = pair.IndexOf((byte)'=');
                if (equals > 0 && pair[..equals].SequenceEqual(name))
                {
                    return pair[(equals + 1)..].Trim("\""u8);
                }
            }
        }

        return default;
    }
}
