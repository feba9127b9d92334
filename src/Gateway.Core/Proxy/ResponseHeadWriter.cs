using System.IO.Pipelines;
using System.Net.Http.Headers;
using Gateway.Core.Http;

namespace Gateway.Core.Proxy;

/// <summary>How the response body is framed toward the client.</summary>
internal enum ResponseFraming
{
    /// <summary>No body at all (HEAD, 1xx, 204, 304).</summary>
    None,

    /// <summary>Content-Length, copied from the upstream.</summary>
    ContentLength,

    /// <summary>Chunked, re-framed by the gateway (HTTP/1.1 clients).</summary>
    Chunked,

    /// <summary>Until the connection closes (HTTP/1.0 clients, unknown length).</summary>
    Close,
}

/// <summary>Writes the upstream response's status line and end-to-end headers, plus the gateway's own framing, Via and Connection.</summary>
internal static class ResponseHeadWriter
{
    /// <summary>Writes the head into <paramref name="output"/> (unflushed); returns its size.</summary>
    public static long Write(
        PipeWriter output, HttpResponseMessage response, ResponseFraming framing, long contentLength, bool close, bool http10Client,
        ReadOnlySpan<byte> requestId, ReadOnlySpan<byte> extraFields)
    {
        var head = new HeadWriter(output);
        var status = (int)response.StatusCode;
        if (response.ReasonPhrase is { Length: > 0 } reason && !IsStandardReason(status, reason))
        {
            head.Write("HTTP/1.1 "u8);
            head.WriteDecimal(status);
            head.Write(" "u8);
            head.WriteLatin1(reason);
            head.Write("\r\n"u8);
        }
        else
        {
            head.Write(StatusLines.For(status));
        }

        var connectionNamed = FieldsNamedInConnection(response.Headers);
        var upstreamVia = WriteFields(ref head, response.Headers.NonValidated, connectionNamed);
        WriteFields(ref head, response.Content.Headers.NonValidated, connectionNamed);
        head.Write("Via: "u8);
        if (upstreamVia is not null)
        {
            head.WriteLatin1(upstreamVia);
            head.Write(", "u8);
        }

        head.Write(response.Version.Major == 2 ? "2 "u8 : response.Version.Minor == 0 ? "1.0 "u8 : "1.1 "u8);
        head.WriteLatin1(RequestHeaderRules.ViaName);
        head.Write("\r\n"u8);
        switch (framing)
        {
            case ResponseFraming.ContentLength:
                head.Write("Content-Length: "u8);
                head.WriteDecimal(contentLength);
                head.Write("\r\n"u8);
                break;
            case ResponseFraming.Chunked:
                head.Write("Transfer-Encoding: chunked\r\n"u8);
                break;
            case ResponseFraming.None when contentLength >= 0:
                head.Write("Content-Length: "u8);
                head.WriteDecimal(contentLength);
                head.Write("\r\n"u8);
                break;
        }

        head.Write(extraFields);
        head.Write("X-Request-Id: "u8);
        head.Write(requestId);
        head.Write("\r\n"u8);
        head.Write(close ? "Connection: close\r\n\r\n"u8 : http10Client ? "Connection: keep-alive\r\n\r\n"u8 : "\r\n"u8);
        head.Commit();
        return head.Total;
    }

    /// <summary>Writes each end-to-end field; returns the Via value, which the caller extends.</summary>
    private static string? WriteFields(ref HeadWriter head, HttpHeadersNonValidated fields, List<string>? connectionNamed)
    {
        string? via = null;
        foreach (var field in fields)
        {
            var name = field.Key;
            if (IsHopByHop(name) || (connectionNamed is not null && connectionNamed.Contains(name, StringComparer.OrdinalIgnoreCase)))
            {
                continue;
            }

            if (name.Equals("Via", StringComparison.OrdinalIgnoreCase))
            {
                via = field.Value.ToString();
                continue;
            }

            foreach (var value in field.Value)
            {
                if (value.AsSpan().ContainsAny('\r', '\n', '\0'))
                {
                    continue;
                }

                head.WriteLatin1(name);
                head.Write(": "u8);
                head.WriteLatin1(value);
                head.Write("\r\n"u8);
            }
        }

        return via;
    }

    /// <summary>Fields the gateway never relays: hop-by-hop ones, and those it writes itself (length, request id).</summary>
    private static bool IsHopByHop(string name) => name.Length switch
    {
        2 => name.Equals("TE", StringComparison.OrdinalIgnoreCase),
        7 => name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase) || name.Equals("Trailer", StringComparison.OrdinalIgnoreCase),
        10 => name.Equals("Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase),
        12 => name.Equals("X-Request-Id", StringComparison.OrdinalIgnoreCase),
        14 => name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase),
        16 => name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase),
        17 => name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>The field names the upstream's Connection header lists, other than close and keep-alive; null when none.</summary>
    private static List<string>? FieldsNamedInConnection(HttpResponseHeaders headers)
    {
        if (!headers.NonValidated.TryGetValues("Connection", out var options))
        {
            return null;
        }

        List<string>? names = null;
        foreach (var option in options)
        {
            foreach (var token in option.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!token.Equals("close", StringComparison.OrdinalIgnoreCase) && !token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase))
                {
                    (names ??= []).Add(token);
                }
            }
        }

        return names;
    }

    private static bool IsStandardReason(int status, string reason) =>
        reason == Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}
