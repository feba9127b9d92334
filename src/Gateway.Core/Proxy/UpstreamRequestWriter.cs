using System.Buffers;
using System.IO.Pipelines;
using Gateway.Core.Http;
using Gateway.Core.Observability;
using Gateway.Core.Pipeline;
using Gateway.Core.Routing;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Proxy;

/// <summary>
/// Writes the upstream request head as bytes: the request line with the (rewritten) target, the client's end-to-end
/// fields byte for byte, then the gateway's own: Host of the destination, Via, X-Request-Id, traceparent, the
/// X-Forwarded-* set (extended instead when the peer is a trusted proxy), the fields the request's steps added, and the body
/// framing. The client's fields the steps removed are left out. What passes follows
/// <see cref="HeaderRules"/>: hop-by-hop fields, every field named in Connection and the fields the gateway writes itself never
/// pass as the client sent them. A WebSocket handshake on a route that lets it through gets the gateway's own
/// <c>Connection: Upgrade</c> and <c>Upgrade: websocket</c> (its Sec-WebSocket-* fields are end-to-end and pass as they are).
/// </summary>
internal static class UpstreamRequestWriter
{
    /// <summary>Writes the head for the context's request to <paramref name="output"/> (unflushed), with the upgrade fields when <paramref name="upgrade"/>; returns its size.</summary>
    public static long Write(PipeWriter output, RequestContext context, PathRewrite? rewrite, UpstreamAddress destination, bool upgrade)
    {
        var head = context.Head;
        var writer = new HeadWriter(output);
        writer.Write(head.MethodBytes);
        writer.Write(" "u8);
        writer.Write(destination.BasePath);
        WritePath(ref writer, head.PathBytes, rewrite, context.Parameters);
        writer.Write(head.QueryBytes);
        writer.Write(" HTTP/1.1\r\nHost: "u8);
        writer.Write(destination.HostField);
        writer.Write("\r\n"u8);
        WriteFields(ref writer, context, upgrade);
        writer.Commit();
        return writer.Total;
    }

    /// <summary>
    /// The context's request kept for the gateway to send again later on its own (a cache's background refresh): the target
    /// as it goes upstream (rewritten, without a destination's base path) and the field lines that follow Host.
    /// </summary>
    public static async ValueTask<(byte[] Target, byte[] Fields)> CaptureAsync(RequestContext context, PathRewrite? rewrite)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var targetLength = WriteCapture(pipe.Writer, context, rewrite);
        await pipe.Writer.FlushAsync().ConfigureAwait(false);
        pipe.Reader.TryRead(out var read);
        var bytes = read.Buffer.ToArray();
        pipe.Reader.AdvanceTo(read.Buffer.End);
        return (bytes[..(int)targetLength], bytes[(int)targetLength..]);
    }

    /// <summary>Writes the target, then the field lines, of a captured request (unflushed); returns the target's length.</summary>
    public static long WriteCapture(PipeWriter output, RequestContext context, PathRewrite? rewrite)
    {
        var target = new HeadWriter(output);
        WritePath(ref target, context.Head.PathBytes, rewrite, context.Parameters);
        target.Write(context.Head.QueryBytes);
        target.Commit();
        var fields = new HeadWriter(output);
        WriteFields(ref fields, context, upgrade: false);
        fields.Commit();
        return target.Total;
    }

    /// <summary>Writes the field lines after Host, the blank line included; the upgrade fields too when <paramref name="upgrade"/>.</summary>
    private static void WriteFields(ref HeadWriter writer, RequestContext context, bool upgrade)
    {
        var head = context.Head;
        var client = context.Client;
        var edits = context.UpstreamFields;
        for (var i = 0; i < head.HeaderCount; i++)
        {
            var field = head.Headers[i];
            if (!field.HopByHop && HeaderRules.ForwardsInRequest(field.Known, client.TrustedProxy)
                && (!edits.HasRemovals || !edits.Removes(head.NameOf(i))))
            {
                writer.Write(head.NameOf(i));
                writer.Write(": "u8);
                writer.Write(head.ValueOf(i));
                writer.Write("\r\n"u8);
            }
        }

        if (head.AcceptsTrailers)
        {
            writer.Write("TE: trailers\r\n"u8);
        }

        writer.Write("Via: "u8);
        if (WriteClientValues(ref writer, head, KnownHeader.Via))
        {
            writer.Write(", "u8);
        }

        writer.Write(client.Http2 ? "2 gateway\r\nX-Request-Id: "u8
            : head.Version == Http.HttpVersion.Http10 ? "1.0 gateway\r\nX-Request-Id: "u8 : "1.1 gateway\r\nX-Request-Id: "u8);
        writer.Write(context.Record.RequestId);
        writer.Write("\r\ntraceparent: "u8);
        Span<byte> traceParent = stackalloc byte[TraceContext.TraceParentLength];
        context.Record.Trace.WriteUpstreamTraceParent(traceParent);
        writer.Write(traceParent);
        writer.Write("\r\nX-Forwarded-For: "u8);
        if (client.TrustedProxy && WriteClientValues(ref writer, head, KnownHeader.XForwardedFor))
        {
            writer.Write(", "u8);
        }

        writer.WriteLatin1(client.PeerAddress);
        writer.Write("\r\nX-Forwarded-Proto: "u8);
        if (!client.TrustedProxy || !WriteClientValues(ref writer, head, KnownHeader.XForwardedProto))
        {
            writer.WriteLatin1(client.Scheme);
        }

        writer.Write("\r\n"u8);
        var forwardedHost = client.TrustedProxy && HasValue(head, KnownHeader.XForwardedHost);
        if (forwardedHost || !head.Authority.Equals(default))
        {
            writer.Write("X-Forwarded-Host: "u8);
            if (forwardedHost)
            {
                WriteClientValues(ref writer, head, KnownHeader.XForwardedHost);
            }
            else
            {
                writer.Write(head.AuthorityBytes);
            }

            writer.Write("\r\n"u8);
        }

        writer.Write(edits.Added.Lines);
        if (upgrade)
        {
            writer.Write("Connection: Upgrade\r\nUpgrade: websocket\r\n"u8);
        }

        if (head.Chunked)
        {
            writer.Write("Transfer-Encoding: chunked\r\n"u8);
        }
        else if (head.ContentLength >= 0 || ExpectsContent(head.MethodBytes))
        {
            writer.Write("Content-Length: "u8);
            writer.WriteDecimal(Math.Max(head.ContentLength, 0));
            writer.Write("\r\n"u8);
        }

        writer.Write("\r\n"u8);
    }

    /// <summary>
    /// True for methods whose requests normally carry content (POST, PUT, PATCH, and unknown ones): sent without a body they
    /// get <c>Content-Length: 0</c>, so the upstream never has to guess (RFC 9110 §8.6).
    /// </summary>
    private static bool ExpectsContent(ReadOnlySpan<byte> method) =>
        !method.SequenceEqual("GET"u8) && !method.SequenceEqual("HEAD"u8) && !method.SequenceEqual("DELETE"u8)
        && !method.SequenceEqual("OPTIONS"u8) && !method.SequenceEqual("TRACE"u8);

    /// <summary>Writes the path, rewritten by the route when it has a rewrite.</summary>
    private static void WritePath(ref HeadWriter writer, ReadOnlySpan<byte> path, PathRewrite? rewrite, ReadOnlySpan<Range> parameters)
    {
        if (rewrite is null)
        {
            writer.Write(path);
            return;
        }

        var size = (path.Length * 2) + 256;
        while (true)
        {
            var rented = ArrayPool<byte>.Shared.Rent(size);
            var written = rewrite.Apply(path, parameters, rented);
            if (written >= 0)
            {
                writer.Write(rented.AsSpan(0, written));
                ArrayPool<byte>.Shared.Return(rented);
                return;
            }

            ArrayPool<byte>.Shared.Return(rented);
            size *= 4;
        }
    }

    /// <summary>Writes the client's non-empty values of <paramref name="known"/> as one list; false when it sent none.</summary>
    private static bool WriteClientValues(ref HeadWriter writer, RequestHead head, KnownHeader known)
    {
        var any = false;
        for (var i = 0; i < head.HeaderCount; i++)
        {
            if (head.Headers[i].Known == known && head.Headers[i].ValueLength > 0)
            {
                if (any)
                {
                    writer.Write(", "u8);
                }

                writer.Write(head.ValueOf(i));
                any = true;
            }
        }

        return any;
    }

    private static bool HasValue(RequestHead head, KnownHeader known)
    {
        for (var i = 0; i < head.HeaderCount; i++)
        {
            if (head.Headers[i].Known == known && head.Headers[i].ValueLength > 0)
            {
                return true;
            }
        }

        return false;
    }
}
