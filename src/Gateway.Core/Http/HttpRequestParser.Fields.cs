namespace Gateway.Core.Http;

/// <summary>The parser's field-line half: header syntax, known fields, Host and message framing.</summary>
public sealed partial class HttpRequestParser
{
    private static RequestError? ParseHeaderLines(RequestHead head, ReadOnlySpan<byte> bytes, int start, int end)
    {
        var position = start;
        var hostSeen = false;
        while (position < end)
        {
            // Lines end at CRLF (the scan saw to that); a CR alone stays inside the line, where the value check rejects it.
            var lineEnd = position + bytes[position..end].IndexOf("\r\n"u8);
            var line = bytes[position..lineEnd];
            var parsed = default(HeaderField);
            switch (HttpSyntax.ReadFieldLine(line, position, ref parsed))
            {
                case FieldLineError.Folded:
                    return RequestError.ObsoleteLineFolding;
                case FieldLineError.NotNameValue:
                    return RequestError.BadHeaderLine;
                case FieldLineError.ControlByte:
                    return RequestError.BadHeaderValue;
            }

            var index = head.AddHeader();
            ref var field = ref head.Headers[index];
            field = parsed;
            var name = line[..parsed.NameLength];
            var value = bytes.Slice(parsed.ValueStart, parsed.ValueLength);
            field.Known = HeaderRules.Identify(name);
            field.HopByHop = HeaderRules.IsHopByHop(field.Known) || (field.Known == KnownHeader.Other && IsFramingLookAlike(name));
            if (field.Known == KnownHeader.Host)
            {
                if (hostSeen)
                {
                    return RequestError.DuplicateHost;
                }

                hostSeen = true;
                var error = ParseHost(head, field.ValueStart, value);
                if (error is not null)
                {
                    return error;
                }
            }

            position = lineEnd + 2;
        }

        return hostSeen || head.Version == HttpVersion.Http10 ? null : RequestError.MissingHost;
    }

    private static RequestError? ParseHost(RequestHead head, int valueStart, ReadOnlySpan<byte> value)
    {
        // RFC 9112 §3.2: an invalid Host is refused even when an absolute-form target names the authority (§3.2.2),
        // in which case the target's authority is the one kept.
        var fromTarget = head.Authority.End.Value != 0;
        var (authority, routeHost) = (head.Authority, head.RouteHost);
        if (!TrySetAuthority(head, valueStart, value))
        {
            return RequestError.BadHost;
        }

        if (fromTarget)
        {
            (head.Authority, head.RouteHost) = (authority, routeHost);
        }

        return null;
    }

    private static bool TrySetAuthority(RequestHead head, int start, ReadOnlySpan<byte> authority)
    {
        int hostLength;
        if (!authority.IsEmpty && authority[0] == (byte)'[')
        {
            hostLength = authority.IndexOf((byte)']') + 1;
            if (hostLength < 3 || authority[1..(hostLength - 1)].ContainsAnyExcept(HttpSyntax.IpLiteralChars))
            {
                return false;
            }
        }
        else
        {
            hostLength = authority.IndexOf((byte)':');
            hostLength = hostLength < 0 ? authority.Length : hostLength;
            if (hostLength == 0 || authority[..hostLength].ContainsAnyExcept(HttpSyntax.HostChars))
            {
                return false;
            }
        }

        var port = authority[hostLength..];
        if (!port.IsEmpty && (port.Length < 2 || port[0] != (byte)':' || port[1..].ContainsAnyExceptInRange((byte)'0', (byte)'9')))
        {
            return false;
        }

        head.Authority = new Range(start, start + authority.Length);
        head.RouteHost = new Range(start, start + hostLength);
        return true;
    }

    /// <summary>
    /// Content_Length and Transfer_Encoding: CGI-style upstreams fold '_' into '-', so such a field could frame the body
    /// differently there than the real fields frame it here (RFC 9112 §11.2). The gateway frames by the real fields and
    /// never forwards the look-alikes.
    /// </summary>
    private static bool IsFramingLookAlike(ReadOnlySpan<byte> name) => name.Length switch
    {
        14 => HttpSyntax.EqualsIgnoreCase(name, "Content_Length"u8),
        17 => HttpSyntax.EqualsIgnoreCase(name, "Transfer_Encoding"u8),
        _ => false,
    };
}
