namespace Gateway.Core.Http;

/// <summary>The second half of the parser: turning a complete, contiguous head into offsets and framing facts.</summary>
public sealed partial class HttpRequestParser
{
    private HeadStatus Parse(RequestHead head, int length, out RequestError? error)
    {
        head.Reset();
        var bytes = head.Buffer.AsSpan(0, length);
        error = ParseRequestLine(head, bytes[..(_requestLineEnd - 2)])
            ?? ParseHeaderLines(head, bytes, _requestLineEnd, length - 2)
            ?? ApplyFraming(head);
        return error is null ? HeadStatus.Complete : HeadStatus.Error;
    }

    private static RequestError? ParseRequestLine(RequestHead head, ReadOnlySpan<byte> line)
    {
        var firstSpace = line.IndexOf((byte)' ');
        var lastSpace = line.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace == firstSpace)
        {
            return RequestError.BadRequestLine;
        }

        if (!HttpSyntax.IsToken(line[..firstSpace]))
        {
            return RequestError.BadMethod;
        }

        head.Method = new Range(0, firstSpace);
        var versionError = ParseVersion(head, line[(lastSpace + 1)..]);
        if (versionError is not null)
        {
            return versionError;
        }

        if (line[..firstSpace].SequenceEqual("CONNECT"u8))
        {
            return RequestError.UnsupportedMethod;
        }

        if (line[(firstSpace + 1)..lastSpace].SequenceEqual("*"u8))
        {
            // RFC 9112 §3.2.4: the asterisk-form is only for a server-wide OPTIONS request.
            if (!line[..firstSpace].SequenceEqual("OPTIONS"u8))
            {
                return RequestError.BadTarget;
            }

            head.AsteriskForm = true;
            head.Path = new Range(firstSpace + 1, lastSpace);
            head.Query = new Range(lastSpace, lastSpace);
            return null;
        }

        return ParseTarget(head, line, firstSpace + 1, lastSpace);
    }

    private static RequestError? ParseVersion(RequestHead head, ReadOnlySpan<byte> version)
    {
        if (version.SequenceEqual("HTTP/1.1"u8))
        {
            head.Version = HttpVersion.Http11;
            return null;
        }

        if (version.SequenceEqual("HTTP/1.0"u8))
        {
            head.Version = HttpVersion.Http10;
            return null;
        }

        var wellFormed = version.Length == 8 && version.StartsWith("HTTP/"u8)
            && char.IsAsciiDigit((char)version[5]) && version[6] == (byte)'.' && char.IsAsciiDigit((char)version[7]);
        if (wellFormed && version[5] == (byte)'1')
        {
            // RFC 9110 §2.5: a higher minor version of a major version we implement is processed as the highest
            // minor version we implement (HTTP/1.2 .. HTTP/1.9 are HTTP/1.1 to us).
            head.Version = HttpVersion.Http11;
            return null;
        }

        return wellFormed && version[5] != (byte)'0' ? RequestError.UnsupportedVersion : RequestError.BadVersion;
    }

    private static RequestError? ParseTarget(RequestHead head, ReadOnlySpan<byte> line, int start, int end)
    {
        var target = line[start..end];
        if (target.IsEmpty || target.ContainsAnyExcept(HttpSyntax.TargetChars))
        {
            return RequestError.BadTarget;
        }

        var pathStart = start;
        if (target[0] != (byte)'/')
        {
            var schemeLength = StartsWithIgnoreCase(target, "http://"u8) ? 7 : StartsWithIgnoreCase(target, "https://"u8) ? 8 : -1;
            if (schemeLength < 0)
            {
                return RequestError.BadTarget;
            }

            var authority = target[schemeLength..];
            var authorityLength = authority.IndexOfAny("/?"u8);
            authorityLength = authorityLength < 0 ? authority.Length : authorityLength;
            var authorityStart = start + schemeLength;
            if (!TrySetAuthority(head, authorityStart, line.Slice(authorityStart, authorityLength)))
            {
                return RequestError.BadTarget;
            }

            pathStart = authorityStart + authorityLength;
        }

        var queryOffset = line[pathStart..end].IndexOf((byte)'?');
        var pathEnd = queryOffset < 0 ? end : pathStart + queryOffset;
        head.Query = new Range(pathEnd, end);

        // A backslash is refused in the path: upstreams that read it as '/' would see segments the router never matched.
        if (line[pathStart..pathEnd].Contains((byte)'\\'))
        {
            return RequestError.BadTarget;
        }

        // The request line sits at the start of the head buffer, so the path is normalized where it lies.
        switch (PathNormalization.Normalize(head.Buffer.AsSpan(pathStart, pathEnd - pathStart), out var pathLength))
        {
            case PathNormalization.Outcome.EncodedSeparator:
                return RequestError.EncodedSeparator;
            case PathNormalization.Outcome.BadEscape:
                return RequestError.BadPercentEncoding;
        }

        head.Path = new Range(pathStart, pathStart + pathLength);
        return HasDotSegment(head.Buffer.AsSpan(head.Path)) ? RequestError.DotSegments : null;
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> value, ReadOnlySpan<byte> prefix) =>
        value.Length >= prefix.Length && HttpSyntax.EqualsIgnoreCase(value[..prefix.Length], prefix);

    private static bool HasDotSegment(ReadOnlySpan<byte> path)
    {
        while (!path.IsEmpty)
        {
            path = path[1..];
            var next = path.IndexOf((byte)'/');
            var segment = next < 0 ? path : path[..next];
            if (IsDot(segment) || IsDoubleDot(segment))
            {
                return true;
            }

            path = next < 0 ? default : path[next..];
        }

        return false;

        // Runs on the normalized path, where an encoded dot ("%2e") has become a dot.
        static bool IsDot(ReadOnlySpan<byte> s) => s.SequenceEqual("."u8);

        static bool IsDoubleDot(ReadOnlySpan<byte> s) => s.SequenceEqual(".."u8);
    }
}
