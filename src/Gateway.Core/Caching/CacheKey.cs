using System.Text;
using Gateway.Core.Http;
using Gateway.Core.Pipeline;

namespace Gateway.Core.Caching;

/// <summary>
/// The key of a request's entry: the route, the host (lower case), the path, the query (as sent, sorted, or only the
/// listed parameters), the values of the cache's key fields and, for caches keyed by consumer, the consumer. Parts are
/// separated by a newline, which none of them can hold.
/// </summary>
internal static class CacheKey
{
    [ThreadStatic]
    private static byte[]? _buffer;

    /// <summary>The key of the request in <paramref name="context"/> on route <paramref name="routeId"/> (UTF-8) under <paramref name="settings"/>.</summary>
    public static string Of(RequestContext context, byte[] routeId, CacheSettings settings)
    {
        var head = context.Head;
        var buffer = _buffer ??= new byte[1024];
        var length = 0;
        Append(ref buffer, ref length, routeId);
        Append(ref buffer, ref length, "\n"u8);
        var host = length;
        Append(ref buffer, ref length, head.RouteHostBytes);
        Ascii.ToLowerInPlace(buffer.AsSpan(host, length - host), out _);
        Append(ref buffer, ref length, "\n"u8);
        Append(ref buffer, ref length, head.PathBytes);
        AppendQuery(ref buffer, ref length, head.QueryBytes, settings);
        foreach (var name in settings.KeyHeaders)
        {
            Append(ref buffer, ref length, "\n"u8);
            for (var i = 0; i < head.HeaderCount; i++)
            {
                if (HttpSyntax.EqualsIgnoreCase(head.NameOf(i), name))
                {
                    Append(ref buffer, ref length, head.ValueOf(i));
                    Append(ref buffer, ref length, ","u8);
                }
            }
        }

        if (settings.Definition.KeyByConsumer && context.Consumer is { } consumer)
        {
            Append(ref buffer, ref length, "\nconsumer="u8);
            Append(ref buffer, ref length, Encoding.UTF8.GetBytes(consumer));
        }

        _buffer = buffer;
        return Encoding.Latin1.GetString(buffer, 0, length);
    }

    /// <summary>The path and query part of <paramref name="key"/> (what purging by key and by prefix compares).</summary>
    public static ReadOnlySpan<char> PathOf(string key)
    {
        var rest = key.AsSpan(key.IndexOf('\n', key.IndexOf('\n') + 1) + 1);
        var end = rest.IndexOf('\n');
        return end < 0 ? rest : rest[..end];
    }

    private static void AppendQuery(ref byte[] buffer, ref int length, ReadOnlySpan<byte> query, CacheSettings settings)
    {
        if (query.Length <= 1 || (!settings.Definition.SortQuery && settings.QueryParameters is null))
        {
            Append(ref buffer, ref length, query.Length <= 1 ? default : query);
            return;
        }

        var parameters = new List<Range>();
        var body = query[1..];
        foreach (var range in body.Split((byte)'&'))
        {
            if (!body[range].IsEmpty)
            {
                parameters.Add(range);
            }
        }

        var kept = new List<Range>();
        if (settings.QueryParameters is { } listed)
        {
            foreach (var name in listed)
            {
                foreach (var range in parameters)
                {
                    if (NameOf(body[range]).SequenceEqual(name))
                    {
                        kept.Add(range);
                    }
                }
            }
        }
        else
        {
            kept.AddRange(parameters);
            var text = body.ToArray();
            kept.Sort((a, b) => text.AsSpan(a).SequenceCompareTo(text.AsSpan(b)));
        }

        for (var i = 0; i < kept.Count; i++)
        {
            Append(ref buffer, ref length, i == 0 ? "?"u8 : "&"u8);
            Append(ref buffer, ref length, body[kept[i]]);
        }
    }

    private static ReadOnlySpan<byte> NameOf(ReadOnlySpan<byte> parameter)
    {
        var equals = parameter.IndexOf((byte)'=');
        return equals < 0 ? parameter : parameter[..equals];
    }

    private static void Append(ref byte[] buffer, ref int length, ReadOnlySpan<byte> bytes)
    {
        if (length + bytes.Length > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + bytes.Length));
        }

        bytes.CopyTo(buffer.AsSpan(length));
        length += bytes.Length;
    }
}
