using System.Buffers;
using System.IO.Pipelines;
using Gateway.Core.Http;
using Gateway.Core.Observability;
using Gateway.Core.Pipeline;
using Gateway.Core.Proxy;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Aggregation;

/// <summary>
/// One part's HTTP/1.1 request to its cluster (an <see cref="UpstreamCall"/> with the part's method, target, fields, retry,
/// deadline and size), answered into memory; anything but a 2xx JSON answer is a failure.
/// </summary>
internal static class PartCall
{
    /// <summary>Calls <paramref name="part"/> at <paramref name="target"/> for the request in <paramref name="context"/>; never throws (a call cut short by <paramref name="aggregate"/> is a 504).</summary>
    public static async Task<PartAnswer> RunAsync(AggregatePart part, byte[] target, RequestContext context, CancellationToken aggregate)
    {
        var call = new UpstreamCallSpec(part.Cluster, part.Retry, part.Timeout, part.MaxBytes, part.Method.AsSpan().SequenceEqual("HEAD"u8), Forwarder.IsIdempotent(part.Method));
        var answer = await UpstreamCall.RunAsync(call, destination => RequestHead(part, target, context, destination), aggregate).ConfigureAwait(false);
        return answer.Problem is { } problem ? PartAnswer.Failed(answer.Status, aggregate.IsCancellationRequested ? "the aggregate's time ran out first" : problem)
            : answer.Status is < 200 or > 299 ? PartAnswer.Failed(answer.Status, $"the upstream answered {answer.Status}")
            : !IsJson(answer.Fields!) ? PartAnswer.Failed(502, "the upstream's answer is not JSON")
            : new PartAnswer(answer.Status, answer.Body, null);
    }

    /// <summary>The request head of the call: the part's method and target, the destination's Host, the fields passed on, and the gateway's own.</summary>
    private static byte[] RequestHead(AggregatePart part, byte[] target, RequestContext context, Destination destination)
    {
        var head = new ArrayBufferWriter<byte>(512);
        head.Write(part.Method);
        head.Write(" "u8);
        head.Write(target);
        head.Write(" HTTP/1.1\r\nHost: "u8);
        head.Write(destination.Endpoint.HostField);
        head.Write("\r\nAccept: application/json\r\n"u8);
        WritePassedFields(head, part.Headers, context);
        head.Write("Via: 1.1 gateway\r\nX-Request-Id: "u8);
        head.Write(context.Record.RequestId);
        head.Write("\r\ntraceparent: "u8);
        Span<byte> traceParent = stackalloc byte[TraceContext.TraceParentLength];
        context.Record.Trace.WriteUpstreamTraceParent(traceParent);
        head.Write(traceParent);
        head.Write("\r\nX-Forwarded-For: "u8);
        head.Write(System.Text.Encoding.ASCII.GetBytes(context.ClientAddress));
        head.Write("\r\nX-Forwarded-Proto: "u8);
        head.Write(System.Text.Encoding.ASCII.GetBytes(context.Client.Scheme));
        head.Write(part.Method.AsSpan().SequenceEqual("GET"u8) || part.Method.AsSpan().SequenceEqual("HEAD"u8) ? "\r\n\r\n"u8 : "\r\nContent-Length: 0\r\n\r\n"u8);
        return head.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The request fields a part passes on: by default the fields the route's steps add (identity fields) and the client's
    /// Accept-Language; when the part names them, each from the steps' fields, else from the client's unless a step removed it.
    /// </summary>
    private static void WritePassedFields(ArrayBufferWriter<byte> head, byte[][]? names, RequestContext context)
    {
        var added = context.UpstreamFields.Added;
        if (names is null)
        {
            head.Write(added.Lines);
            WriteClientField(head, "Accept-Language"u8, context);
            return;
        }

        foreach (var name in names)
        {
            var found = false;
            for (var i = 0; i < added.Count; i++)
            {
                if (HttpSyntax.EqualsIgnoreCase(added.NameOf(i), name))
                {
                    WriteField(head, name, added.ValueOf(i));
                    found = true;
                }
            }

            if (!found)
            {
                WriteClientField(head, name, context);
            }
        }
    }

    private static void WriteClientField(ArrayBufferWriter<byte> head, ReadOnlySpan<byte> name, RequestContext context)
    {
        var value = context.Head.FirstValueOf(name);
        if (!value.IsEmpty && !context.UpstreamFields.Removes(name))
        {
            WriteField(head, name, value);
        }
    }

    private static void WriteField(ArrayBufferWriter<byte> head, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        head.Write(name);
        head.Write(": "u8);
        head.Write(value);
        head.Write("\r\n"u8);
    }

    /// <summary>True when the answer's Content-Type is JSON: <c>application/json</c> or a <c>+json</c> type, any parameters.</summary>
    private static bool IsJson(FieldList fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (HttpSyntax.EqualsIgnoreCase(fields.NameOf(i), "Content-Type"u8))
            {
                var type = fields.ValueOf(i);
                var semicolon = type.IndexOf((byte)';');
                type = (semicolon < 0 ? type : type[..semicolon]).TrimEnd((byte)' ');
                return HttpSyntax.EqualsIgnoreCase(type, "application/json"u8)
                    || (type.Length > 5 && HttpSyntax.EqualsIgnoreCase(type[^5..], "+json"u8) && type.StartsWith("application/"u8));
            }
        }

        return false;
    }
}
