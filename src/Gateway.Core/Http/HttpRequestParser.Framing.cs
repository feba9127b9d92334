namespace Gateway.Core.Http;

/// <summary>The parser's framing half: body length, keep-alive, expectations and Connection-named fields.</summary>
public sealed partial class HttpRequestParser
{
    private static RequestError? ApplyFraming(RequestHead head)
    {
        var hasContentLength = false;
        var hasTransferEncoding = false;
        var closeRequested = false;
        var keepAliveRequested = false;
        var chunkedCount = 0;
        var lastCodingIsChunked = false;
        var otherCoding = false;
        var preflightMethod = -1;
        var origin = false;
        var connectionUpgrade = false;
        var upgrades = 0;
        var websocket = false;
        for (var i = 0; i < head.HeaderCount; i++)
        {
            var value = head.ValueOf(i);
            switch (head.Headers[i].Known)
            {
                case KnownHeader.ContentLength:
                    var error = ParseContentLength(head, value, hasContentLength);
                    if (error is not null)
                    {
                        return error;
                    }

                    hasContentLength = true;
                    break;
                case KnownHeader.TransferEncoding:
                    hasTransferEncoding = true;
                    foreach (var range in value.Split((byte)','))
                    {
                        var coding = value[range].Trim(" \t"u8);
                        if (!HttpSyntax.IsToken(coding))
                        {
                            return RequestError.BadTransferEncoding;
                        }

                        lastCodingIsChunked = HttpSyntax.EqualsIgnoreCase(coding, "chunked"u8);
                        chunkedCount += lastCodingIsChunked ? 1 : 0;
                        otherCoding |= !lastCodingIsChunked;
                    }

                    break;
                case KnownHeader.Connection:
                    foreach (var range in value.Split((byte)','))
                    {
                        var option = value[range].Trim(" \t"u8);
                        if (!option.IsEmpty && !HttpSyntax.IsToken(option))
                        {
                            // RFC 9110 §7.6.1: Connection = #connection-option, and a connection-option is a token.
                            return RequestError.MalformedConnection;
                        }

                        closeRequested |= HttpSyntax.EqualsIgnoreCase(option, "close"u8);
                        keepAliveRequested |= HttpSyntax.EqualsIgnoreCase(option, "keep-alive"u8);
                        connectionUpgrade |= HttpSyntax.EqualsIgnoreCase(option, "upgrade"u8);
                        if (HttpSyntax.EqualsIgnoreCase(option, "host"u8) || HttpSyntax.EqualsIgnoreCase(option, "content-length"u8)
                            || HttpSyntax.EqualsIgnoreCase(option, "transfer-encoding"u8))
                        {
                            return RequestError.BadConnectionOption;
                        }

                        if (!option.IsEmpty)
                        {
                            MarkHopByHop(head, option);
                        }
                    }

                    break;
                case KnownHeader.Expect:
                    // RFC 9110 §10.1.1: Expect = #expectation. Empty list elements (and so an empty value) expect
                    // nothing (RFC 9110 §5.6.1); any member other than 100-continue gets 417.
                    foreach (var range in value.Split((byte)','))
                    {
                        var expectation = value[range].Trim(" \t"u8);
                        if (expectation.IsEmpty)
                        {
                            continue;
                        }

                        if (!HttpSyntax.EqualsIgnoreCase(expectation, "100-continue"u8))
                        {
                            return RequestError.UnsupportedExpectation;
                        }

                        // RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request MUST be ignored.
                        head.ExpectContinue = head.Version == HttpVersion.Http11;
                    }

                    break;
                case KnownHeader.TE:
                    foreach (var range in value.Split((byte)','))
                    {
                        var member = value[range];
                        var parameters = member.IndexOf((byte)';');
                        head.AcceptsTrailers |= HttpSyntax.EqualsIgnoreCase((parameters < 0 ? member : member[..parameters]).Trim(" \t"u8), "trailers"u8);
                    }

                    break;
                case KnownHeader.RequestId:
                    head.RequestIdIndex = i;
                    break;
                case KnownHeader.TraceParent:
                    head.TraceParentIndex = i;
                    break;
                case KnownHeader.AccessControlRequestMethod when HttpSyntax.IsToken(value) && head.MethodBytes.SequenceEqual("OPTIONS"u8):
                    preflightMethod = i;
                    break;
                case KnownHeader.Origin:
                    origin = true;
                    break;
                case KnownHeader.Upgrade:
                    upgrades++;
                    websocket = HttpSyntax.EqualsIgnoreCase(value, "websocket"u8);
                    break;
            }
        }

        if (hasTransferEncoding)
        {
            if (hasContentLength)
            {
                return RequestError.ContentLengthWithTransferEncoding;
            }

            if (head.Version == HttpVersion.Http10)
            {
                return RequestError.TransferEncodingOnHttp10;
            }

            if (chunkedCount != 1 || !lastCodingIsChunked)
            {
                return RequestError.BadTransferEncoding;
            }

            if (otherCoding)
            {
                return RequestError.UnsupportedTransferEncoding;
            }

            head.Chunked = true;
        }

        head.KeepAlive = !closeRequested && (head.Version == HttpVersion.Http11 || keepAliveRequested);
        head.PreflightMethodIndex = origin ? preflightMethod : -1;
        head.WebSocketUpgrade = connectionUpgrade && upgrades == 1 && websocket && head.Version == HttpVersion.Http11 && !head.HasBody
            && head.MethodBytes.SequenceEqual("GET"u8);
        return null;
    }

    private static RequestError? ParseContentLength(RequestHead head, ReadOnlySpan<byte> value, bool seenBefore)
    {
        var length = -1L;
        foreach (var range in value.Split((byte)','))
        {
            if (!HttpSyntax.TryParseDecimal(value[range].Trim(" \t"u8), out var member))
            {
                return RequestError.BadContentLength;
            }

            if (length >= 0 && member != length)
            {
                return RequestError.ConflictingContentLength;
            }

            length = member;
        }

        if (seenBefore && head.ContentLength != length)
        {
            return RequestError.ConflictingContentLength;
        }

        head.ContentLength = length;
        return null;
    }

    private static void MarkHopByHop(RequestHead head, ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < head.HeaderCount; i++)
        {
            if (HttpSyntax.EqualsIgnoreCase(head.NameOf(i), name))
            {
                head.Headers[i].HopByHop = true;
            }
        }
    }
}
