namespace Gateway.Core.Http;

/// <summary>
/// Puts a request path into the one form the router matches and the upstream receives, so that no encoding can reach a
/// route the plain path would not (Envoy's CVE-2019-9901 was a path the router saw one way and the upstream decoded
/// another): percent-encoded unreserved characters are decoded (RFC 3986 §6.2.2.2: <c>/%61dmin</c> is <c>/admin</c>), the
/// escapes that stay get upper-case hex digits (§6.2.2.1), and an escaped '/', '\' or NUL is refused, as is a '%' not
/// followed by two hex digits.
/// </summary>
public static class PathNormalization
{
    /// <summary>What normalizing a path found.</summary>
    public enum Outcome
    {
        /// <summary>The path is normalized.</summary>
        Normalized,

        /// <summary>The path encodes '/', '\' or NUL (%2F, %5C, %00).</summary>
        EncodedSeparator,

        /// <summary>A '%' is not followed by two hex digits.</summary>
        BadEscape,
    }

    /// <summary>Normalizes <paramref name="path"/> in place; <paramref name="length"/> is its length afterwards (never longer).</summary>
    public static Outcome Normalize(Span<byte> path, out int length)
    {
        length = path.Length;
        var next = path.IndexOf((byte)'%');
        if (next < 0)
        {
            return Outcome.Normalized;
        }

        var write = next;
        var read = next;
        while (read < path.Length)
        {
            var b = path[read];
            if (b != (byte)'%')
            {
                path[write++] = b;
                read++;
                continue;
            }

            if (!HttpSyntax.TryDecodeEscape(path, read, out var value))
            {
                return Outcome.BadEscape;
            }

            if (value is (byte)'/' or (byte)'\\' or 0)
            {
                return Outcome.EncodedSeparator;
            }

            if (HttpSyntax.IsUnreserved(value))
            {
                path[write++] = value;
            }
            else
            {
                path[write++] = (byte)'%';
                path[write++] = char.IsAsciiLetterLower((char)path[read + 1]) ? (byte)(path[read + 1] - 32) : path[read + 1];
                path[write++] = char.IsAsciiLetterLower((char)path[read + 2]) ? (byte)(path[read + 2] - 32) : path[read + 2];
            }

            read += 3;
        }

        length = write;
        return Outcome.Normalized;
    }

}
