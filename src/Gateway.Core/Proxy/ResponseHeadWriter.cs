using System.IO.Pipelines;
using Gateway.Core.Http;
using Gateway.Core.Pipeline;
using Gateway.Core.Upstreams;

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

    /// <summary>No body: a 101 that switches the connection to the WebSocket protocol (<c>Connection: Upgrade</c>, <c>Upgrade: websocket</c>).</summary>
    Switched,
}

/// <summary>
/// Writes the upstream response's status line and end-to-end fields (less those the request's response edits remove), plus
/// the fields the edits add and the gateway's own framing, Via, X-Request-Id and Connection (with Upgrade on a 101 to a WebSocket).
/// </summary>
internal static class ResponseHeadWriter
{
    /// <summary>Writes the head into <paramref name="output"/> (unflushed); returns its size.</summary>
    public static long Write(
        PipeWriter output, UpstreamResponseHead response, ResponseFraming framing, bool close, bool http10Client,
        ReadOnlySpan<byte> requestId, FieldEdits edits)
    {
        var head = new HeadWriter(output);
        if (response.Reason.IsEmpty)
        {
            head.Write(StatusLines.For(response.Status));
        }
        else
        {
            head.Write("HTTP/1.1 "u8);
            head.WriteDecimal(response.Status);
            head.Write(" "u8);
            head.Write(response.Reason);
            head.Write("\r\n"u8);
        }

        for (var i = 0; i < response.FieldCount; i++)
        {
            if (response.IsRelayed(i) && (!edits.HasRemovals || !edits.Removes(response.NameOf(i))))
            {
                head.Write(response.NameOf(i));
                head.Write(": "u8);
                head.Write(response.ValueOf(i));
                head.Write("\r\n"u8);
            }
        }

        var upstreamVia = false;
        for (var i = 0; i < response.FieldCount; i++)
        {
            if (response.IsVia(i) && !response.ValueOf(i).IsEmpty)
            {
                head.Write(upstreamVia ? ", "u8 : "Via: "u8);
                head.Write(response.ValueOf(i));
                upstreamVia = true;
            }
        }

        head.Write(upstreamVia ? ", "u8 : "Via: "u8);
        head.Write(response.Http10 ? "1.0 gateway\r\n"u8 : "1.1 gateway\r\n"u8);
        if (framing == ResponseFraming.Chunked)
        {
            head.Write("Transfer-Encoding: chunked\r\n"u8);
        }
        else if (framing == ResponseFraming.Switched)
        {
            head.Write("Connection: Upgrade\r\nUpgrade: websocket\r\n"u8);
        }
        else if (framing != ResponseFraming.Close && response.ContentLength >= 0 && response.Status != 204)
        {
            // Also for bodiless answers to HEAD and 304: the length describes the representation (never on a 204, RFC 9110 §8.6).
            head.Write("Content-Length: "u8);
            head.WriteDecimal(response.ContentLength);
            head.Write("\r\n"u8);
        }

        head.Write(edits.Added.Lines);
        head.Write("X-Request-Id: "u8);
        head.Write(requestId);
        head.Write("\r\n"u8);
        head.Write(close ? "Connection: close\r\n\r\n"u8 : http10Client ? "Connection: keep-alive\r\n\r\n"u8 : "\r\n"u8);
        head.Commit();
        return head.Total;
    }
}
