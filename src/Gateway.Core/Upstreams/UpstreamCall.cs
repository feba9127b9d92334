using System.Buffers;
using System.IO.Pipelines;
using System.Net.Http;
using System.Text;
using Gateway.Core.Http;

namespace Gateway.Core.Upstreams;

/// <summary>
/// One request the gateway makes itself (an aggregate's part, a cache's background refresh), answered into memory:
/// the destination balancing picks (failing over to another when a connection cannot be opened, once more on a fresh
/// connection when a reused one was found closed or reset under an idempotent request, and retried as the call's retry
/// policy says, within the cluster's retry budget), a pooled connection, the cluster's caps and health reports, the
/// call's deadline, and the response head parsed as strictly as a forwarded one. The body is read whole up to the call's size. An h2c or h2 cluster is called over its
/// HTTP/2 transport with the same request, translated.
/// </summary>
internal static class UpstreamCall
{
    /// <summary>Sends <paramref name="call"/>'s request (the head <paramref name="request"/> writes for each destination tried); never throws (a call cut short by <paramref name="caller"/> is a 504).</summary>
    public static async Task<UpstreamAnswer> RunAsync(UpstreamCallSpec call, Func<Destination, byte[]> request, CancellationToken caller)
    {
        var cluster = call.Cluster;
        if (!cluster.TryStartRequest())
        {
            return UpstreamAnswer.Failed(503, "the upstream service has too many requests in flight");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(caller);
        deadline.CancelAfter(call.Timeout);
        var tries = new RequestTries();
        var destination = tries.Start(cluster, call.Retry, null);
        try
        {
            var fresh = false;
            while (true)
            {
                using var tryDeadline = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                if (call.Retry?.PerTryTimeout is { } perTry)
                {
                    tryDeadline.CancelAfter(perTry);
                }

                UpstreamAnswer answer;
                TryFailure failure;
                destination.RequestStarted();
                try
                {
                    answer = cluster.Http2 is { } http2
                        ? await ExchangeHttp2Async(call, request(destination), destination, http2, tryDeadline.Token).ConfigureAwait(false)
                        : await ExchangeAsync(call, request(destination), destination, fresh, tryDeadline.Token).ConfigureAwait(false);
                    cluster.Report(destination, cluster.IsFailureStatus(answer.Status));
                    if (call.Retry?.OnStatus(answer.Status) != true)
                    {
                        return answer;
                    }

                    failure = TryFailure.Status;
                }
                catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException or ClusterOverloadedException)
                {
                    if (caller.IsCancellationRequested)
                    {
                        return UpstreamAnswer.Failed(504, "the caller's time ran out first");
                    }

                    if (ex is ClusterOverloadedException)
                    {
                        return UpstreamAnswer.Failed(503, "too many requests are waiting for a connection to the upstream");
                    }

                    if (!fresh && call.Idempotent && UpstreamConnection.LostBeforeAnswer(ex))
                    {
                        // A reused connection the upstream had closed or reset as the request went out: once more on a new one,
                        // which an idempotent request allows (as the forwarder's rule for a stale connection).
                        fresh = true;
                        continue;
                    }

                    cluster.Report(destination, failed: true);
                    (failure, answer) = tryDeadline.IsCancellationRequested ? (TryFailure.Timeout, UpstreamAnswer.Failed(504, "the upstream did not answer in time"))
                        : ex is UpstreamConnectException ? (TryFailure.Connect, UpstreamAnswer.Failed(502, "the gateway could not connect to the upstream"))
                        : (TryFailure.Reset, UpstreamAnswer.Failed(502, "the upstream failed to answer"));
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
    private static async Task<UpstreamAnswer> ExchangeAsync(UpstreamCallSpec call, byte[] request, Destination destination, bool fresh, CancellationToken cancellationToken)
    {
        var pool = destination.Connections;
        var connection = await pool.RentAsync(fresh, call.Cluster.Pending, cancellationToken).ConfigureAwait(false);
        var reusable = false;
        using var head = new UpstreamResponseHead();
        try
        {
            await connection.Output.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            if (!await ReadHeadAsync(connection.Input, head, cancellationToken).ConfigureAwait(false))
            {
                return UpstreamAnswer.Failed(502, $"the upstream's response was refused: {head.Problem}");
            }

            if (head.ContentLength > call.MaxBytes)
            {
                return TooLarge(call);
            }

            var bodyless = head.Status is 204 or 304 || call.Head;
            var body = new ArrayBufferWriter<byte>(head.ContentLength is > 0 and var length ? (int)length : 4096);
            var whole = bodyless || await ReadBodyAsync(connection.Input, head, body, call.MaxBytes, cancellationToken).ConfigureAwait(false);
            if (!whole)
            {
                return UpstreamAnswer.Failed(502, $"the answer is larger than {call.MaxBytes} bytes or its framing is malformed");
            }

            reusable = head.KeepAlive && (head.Chunked || head.ContentLength >= 0 || bodyless) && NothingMoreToRead(connection.Input);
            return new UpstreamAnswer(head.Status, RelayedFields(head), body.WrittenMemory, null);
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

    /// <summary>Sends the request (written as HTTP/1.1) over the cluster's HTTP/2 transport and reads the whole answer.</summary>
    private static async Task<UpstreamAnswer> ExchangeHttp2Async(UpstreamCallSpec call, byte[] request, Destination destination, Http2Upstream transport, CancellationToken cancellationToken)
    {
        if (!transport.TryAcquire())
        {
            return UpstreamAnswer.Failed(503, "the upstream service was reconfigured as the call started");
        }

        try
        {
            var text = Encoding.Latin1.GetString(request);
            var lineEnd = text.IndexOf("\r\n", StringComparison.Ordinal);
            var requestLine = text[..lineEnd].Split(' ');
            var fields = new List<(string Name, string Value)>();
            Http2Messages.AddFieldLines(text[(lineEnd + 2)..], fields);
            using var message = Http2Messages.Request(HttpMethod.Parse(requestLine[0]), new Uri(new Uri(destination.Address), requestLine[1]), null, fields);
            using var response = await transport.SendAsync(message, cancellationToken).ConfigureAwait(false);
            var length = response.Content.Headers.ContentLength;
            if (length > call.MaxBytes)
            {
                return TooLarge(call);
            }

            var body = new ArrayBufferWriter<byte>(length is > 0 ? (int)length : 4096);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            while (await stream.ReadAsync(body.GetMemory(4096), cancellationToken).ConfigureAwait(false) is var read && read > 0)
            {
                body.Advance(read);
                if (body.WrittenCount > call.MaxBytes)
                {
                    return TooLarge(call);
                }
            }

            var answerFields = new FieldList();
            Http2Messages.AddAnswerFields(answerFields, response.Headers.NonValidated, trailers: false);
            Http2Messages.AddAnswerFields(answerFields, response.Content.Headers.NonValidated, trailers: false);
            return new UpstreamAnswer((int)response.StatusCode, answerFields, body.WrittenMemory, null);
        }
        catch (HttpRequestException ex)
        {
            throw ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError
                ? new UpstreamConnectException($"Connecting to {destination.Address} failed: {ex.Message}", ex)
                : new IOException(ex.Message, ex);
        }
        finally
        {
            transport.Release();
        }
    }

    /// <summary>The failure of an answer larger than the call accepts.</summary>
    private static UpstreamAnswer TooLarge(UpstreamCallSpec call) => UpstreamAnswer.Failed(502, $"the answer is larger than {call.MaxBytes} bytes");

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

    /// <summary>The answer's fields a client may see (hop-by-hop ones left out).</summary>
    private static FieldList RelayedFields(UpstreamResponseHead head)
    {
        var fields = new FieldList(Math.Max(head.Length, 64));
        for (var i = 0; i < head.FieldCount; i++)
        {
            if (head.IsRelayed(i))
            {
                fields.Add(head.NameOf(i), head.ValueOf(i));
            }
        }

        return fields;
    }
}
