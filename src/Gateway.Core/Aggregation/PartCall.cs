using System.Buffers;
using System.IO.Pipelines;
using Gateway.Core.Http;
using Gateway.Core.Observability;
using Gateway.Core.Pipeline;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Aggregation;

/// <summary>
/// One part's HTTP/1.1 request to its cluster, answered into memory: the destination balancing picks (failing over to
/// another when a connection cannot be opened, once more on a fresh connection when a reused one was found closed, and
/// retried as the part's <c>retry</c> says, within the cluster's retry budget), a pooled connection, the cluster's caps
/// and health reports, the part's deadline, and the response head parsed as strictly as a forwarded one. The body is read whole up to the part's size; anything but a 2xx JSON answer is a failure.
/// </summary>
internal static class PartCall
{
    /// <summary>Calls <paramref name="part"/> at <paramref name="target"/> for the request in <paramref name="context"/>; never throws (a call cut short by <paramref name="aggregate"/> is a 504).</summary>
    public static async Task<PartAnswer> RunAsync(AggregatePart part, byte[] target, RequestContext context, CancellationToken aggregate)
    {
        var cluster = part.Cluster;
        if (!cluster.TryStartRequest())
        {
            return PartAnswer.Failed(503, "the upstream service has too many requests in flight");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aggregate);
        deadline.CancelAfter(part.Timeout);
        var tries = new RequestTries();
        var destination = tries.Start(cluster, part.Retry, null);
        try
        {
            var fresh = false;
            while (true)
            {
                using var tryDeadline = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                if (part.Retry?.PerTryTimeout is { } perTry)
                {
                    tryDeadline.CancelAfter(perTry);
                }

                PartAnswer answer;
                TryFailure failure;
                destination.RequestStarted();
                try
                {
                    answer = await ExchangeAsync(part, RequestHead(part, target, context, destination), destination, fresh, tryDeadline.Token).ConfigureAwait(false);
                    cluster.Report(destination, cluster.IsFailureStatus(answer.Status));
                    if (answer.Succeeded || part.Retry?.OnStatus(answer.Status) != true)
                    {
                        return answer;
                    }

                    failure = TryFailure.Status;
                }
                catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException or ClusterOverloadedException)
                {
                    if (aggregate.IsCancellationRequested)
                    {
                        return PartAnswer.Failed(504, "the aggregate's time ran out first");
                    }

                    if (ex is ClusterOverloadedException)
                    {
                        return PartAnswer.Failed(503, "too many requests are waiting for a connection to the upstream");
                    }

                    if (ex is UpstreamClosedException { BeforeAnyByte: true } && !fresh)
                    {
                        // A reused connection the upstream had closed: nothing was processed, so once more on a new one.
                        fresh = true;
                        continue;
                    }

                    cluster.Report(destination, failed: true);
                    (failure, answer) = tryDeadline.IsCancellationRequested ? (TryFailure.Timeout, PartAnswer.Failed(504, "the upstream did not answer in time"))
                        : ex is UpstreamConnectException ? (TryFailure.Connect, PartAnswer.Failed(502, "the gateway could not connect to the upstream"))
                        : (TryFailure.Reset, PartAnswer.Failed(502, "the upstream failed to answer"));
                }
                finally
                {
                    destination.RequestFinished();
                }

                if (deadline.IsCancellationRequested || tries.Next(failure, answer.Status, out var backoff, out _) is not { } next
                    || !await WaitAsync(backoff, deadline.Token).ConfigureAwait(false))
                {
                    return answer;
                }

                (destination, fresh) = (next, false);
            }
        }
        finally
        {
            tries.Finish();
            cluster.FinishRequest();
        }
    }

    /// <summary>Waits <paramref name="backoff"/> before a retry; false when the part's time runs out meanwhile.</summary>
    private static async Task<bool> WaitAsync(TimeSpan backoff, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Sends the request on a pooled connection to <paramref name="destination"/> and reads the whole answer.</summary>
    private static async Task<PartAnswer> ExchangeAsync(AggregatePart part, byte[] request, Destination destination, bool fresh, CancellationToken cancellationToken)
    {
        var pool = destination.Connections;
        var connection = await pool.RentAsync(fresh, part.Cluster.Pending, cancellationToken).ConfigureAwait(false);
        var reusable = false;
        using var head = new UpstreamResponseHead();
        try
        {
            await connection.Output.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            if (!await ReadHeadAsync(connection.Input, head, cancellationToken).ConfigureAwait(false))
            {
                return PartAnswer.Failed(502, $"the upstream's response was refused: {head.Problem}");
            }

            if (head.ContentLength > part.MaxBytes)
            {
                return PartAnswer.Failed(502, $"the answer is larger than {part.MaxBytes} bytes");
            }

            var bodyless = head.Status is 204 or 304 || part.Method.AsSpan().SequenceEqual("HEAD"u8);
            var body = new ArrayBufferWriter<byte>(head.ContentLength is > 0 and var length ? (int)length : 4096);
            var whole = bodyless || await ReadBodyAsync(connection.Input, head, body, part.MaxBytes, cancellationToken).ConfigureAwait(false);
            if (!whole)
            {
                return PartAnswer.Failed(502, $"the answer is larger than {part.MaxBytes} bytes or its framing is malformed");
            }

            reusable = head.KeepAlive && (head.Chunked || head.ContentLength >= 0 || bodyless) && NothingMoreToRead(connection.Input);
            return head.Status is < 200 or > 299 ? PartAnswer.Failed(head.Status, $"the upstream answered {head.Status}")
                : !IsJson(head) ? PartAnswer.Failed(502, "the upstream's answer is not JSON")
                : new PartAnswer(head.Status, body.WrittenMemory, null);
        }
        finally
        {
            if (reusable)
            {
                pool.Return(connection);
            }
            else
            {
                pool.Close(connection);
            }
        }
    }

    /// <summary>True when the upstream sent nothing past the answer, so the connection may serve another request.</summary>
    private static bool NothingMoreToRead(PipeReader input)
    {
        if (!input.TryRead(out var extra))
        {
            return true;
        }

        input.AdvanceTo(extra.Buffer.Start);
        return false;
    }

    /// <summary>Reads the final response head (skipping 1xx); false when it is malformed.</summary>
    private static async Task<bool> ReadHeadAsync(PipeReader input, UpstreamResponseHead head, CancellationToken cancellationToken)
    {
        var anyByte = false;
        while (true)
        {
            var read = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            anyByte |= !read.Buffer.IsEmpty;
            var status = head.TryParse(read.Buffer);
            if (status == ResponseHeadStatus.Complete)
            {
                input.AdvanceTo(read.Buffer.GetPosition(head.Length));
                if (head.Status >= 200)
                {
                    return true;
                }

                continue;
            }

            input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            if (status == ResponseHeadStatus.Malformed)
            {
                return false;
            }

            if (read.IsCompleted)
            {
                throw new UpstreamClosedException(!anyByte);
            }
        }
    }

    /// <summary>Reads the body as its framing says into <paramref name="body"/>; false when it is larger than <paramref name="maxBytes"/> or malformed.</summary>
    private static async Task<bool> ReadBodyAsync(PipeReader input, UpstreamResponseHead head, ArrayBufferWriter<byte> body, int maxBytes, CancellationToken cancellationToken)
    {
        var chunks = head.Chunked ? new ChunkedDecoder() : null;
        var remaining = head.ContentLength;
        while (remaining != 0)
        {
            var read = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            if (chunks is not null)
            {
                while (true)
                {
                    var status = chunks.Next(ref buffer, out var data);
                    if (status == ChunkStatus.Error || body.WrittenCount + data.Length > maxBytes)
                    {
                        return false;
                    }

                    foreach (var segment in data)
                    {
                        body.Write(segment.Span);
                    }

                    if (status == ChunkStatus.Done)
                    {
                        input.AdvanceTo(buffer.Start);
                        return true;
                    }

                    if (status == ChunkStatus.NeedMore)
                    {
                        break;
                    }
                }
            }
            else
            {
                var take = remaining < 0 ? buffer.Length : Math.Min(remaining, buffer.Length);
                if (body.WrittenCount + take > maxBytes)
                {
                    return false;
                }

                foreach (var segment in buffer.Slice(0, take))
                {
                    body.Write(segment.Span);
                }

                buffer = buffer.Slice(take);
                remaining = remaining < 0 ? remaining : remaining - take;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted && remaining != 0)
            {
                // Without a length the body ends with the connection; with one (or chunked), an early end is a failure.
                return remaining < 0 && chunks is null;
            }
        }

        return true;
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
    private static bool IsJson(UpstreamResponseHead head)
    {
        for (var i = 0; i < head.FieldCount; i++)
        {
            if (HttpSyntax.EqualsIgnoreCase(head.NameOf(i), "Content-Type"u8))
            {
                var type = head.ValueOf(i);
                var semicolon = type.IndexOf((byte)';');
                type = (semicolon < 0 ? type : type[..semicolon]).TrimEnd((byte)' ');
                return HttpSyntax.EqualsIgnoreCase(type, "application/json"u8)
                    || (type.Length > 5 && HttpSyntax.EqualsIgnoreCase(type[^5..], "+json"u8) && type.StartsWith("application/"u8));
            }
        }

        return false;
    }
}
