using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Http;
using System.Text;
using Gateway.Core.Http;
using Gateway.Core.Observability;
using Gateway.Core.Pipeline;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Proxy;

/// <summary>
/// Forwards one request to an <c>h2c</c> or <c>h2</c> cluster through its <see cref="Http2Upstream"/> (HttpClient's engine)
/// and streams the answer back: the same destination choice, failover, retries and retry budget (<see cref="RequestTries"/>),
/// health reports, caps and deadlines as the HTTP/1.1 forwarder, the same upstream fields (<see cref="UpstreamRequestWriter"/>'s
/// capture, less what HTTP/2 forbids), the body streamed both ways while the other direction runs (gRPC streaming), the
/// response's trailers relayed to a client that accepts them, and <c>grpc-timeout</c> as a deadline. A try is made again only
/// while nothing of the request body was sent. One per client connection, made on its first such request.
/// </summary>
internal sealed class Http2Forwarder(RequestContext context, RequestBodyReader body, UpstreamDeadline deadline, Http1ResponseWriter responses, GatewayMetrics? metrics)
{
    private const int BufferSize = 16 * 1024;
    private readonly RequestTries _tries = new();
    private readonly FieldList _fields = new();
    private readonly List<(string Name, string Value)> _upstreamFields = [];
    private readonly Pipe _capture = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));

    /// <summary>Forwards the context's request to <paramref name="target"/>, whose cluster has an HTTP/2 transport.</summary>
    public async ValueTask<RequestOutcome> ForwardAsync(ForwardTarget target)
    {
        var cluster = target.Cluster;
        var transport = cluster.Http2!;
        if (!cluster.TryStartRequest())
        {
            metrics?.ClusterOverflow(cluster.Id, "requests");
            return await responses.AnswerProblemAsync(503, "The upstream service has too many requests in flight; try again later.").ConfigureAwait(false);
        }

        if (!transport.TryAcquire())
        {
            cluster.FinishRequest();
            return await responses.AnswerProblemAsync(503, "The upstream service was reconfigured as the request came; try again.").ConfigureAwait(false);
        }

        var head = context.Head;
        var record = context.Record;
        var retry = target.Retry is { } policy && !head.HasBody && Forwarder.IsIdempotent(head.MethodBytes) ? policy : null;
        var key = cluster.HashKey is { } hashKey ? RequestHashKey.Of(context, hashKey) : null;
        var destination = _tries.Start(cluster, retry, key);
        destination.RequestStarted();
        deadline.Start(cluster.Timeout, Shorter(target.Timeout, GrpcRequest.Timeout(head)));
        var method = HttpMethod.Parse(Encoding.Latin1.GetString(head.MethodBytes));
        var pathAndQuery = await CaptureAsync(target).ConfigureAwait(false);
        HttpResponseMessage? response = null;
        try
        {
            while (true)
            {
                record.Tries = _tries.Count;
                record.Upstream = destination.Address;
                record.UpstreamSent = Stopwatch.GetTimestamp();
                if (retry?.PerTryTimeout is not null || _tries.Count > 1)
                {
                    deadline.StartTry(retry?.PerTryTimeout);
                }

                if (!Uri.TryCreate(destination.Address + pathAndQuery, UriKind.Absolute, out var uri))
                {
                    return await responses.AnswerProblemAsync(400, "The request target cannot be sent to an HTTP/2 upstream.").ConfigureAwait(false);
                }

                var content = head.HasBody ? new RequestBodyContent(body, head.Chunked ? -1 : head.ContentLength) : null;
                Exception? failure = null;
                using (var request = Http2Messages.Request(method, uri, content, _upstreamFields))
                {
                    try
                    {
                        response = await transport.SendAsync(request, deadline.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
                    {
                        failure = ex;
                    }
                }

                Destination? next;
                TimeSpan backoff;
                if (response is not null)
                {
                    var status = (int)response.StatusCode;
                    cluster.Report(destination, cluster.IsFailureStatus(status));
                    if (retry?.OnStatus(status) != true || (next = NextTry(cluster, TryFailure.Status, status, out backoff)) is null)
                    {
                        break;
                    }

                    response.Dispose();
                    response = null;
                }
                else
                {
                    var kind = Classify(failure);
                    if (kind != UpstreamErrorKind.None)
                    {
                        cluster.Report(destination, failed: true);
                        metrics?.UpstreamError(cluster.Id, kind);
                    }

                    if (kind == UpstreamErrorKind.None || content?.Started == true || (next = NextTry(cluster, Forwarder.FailureOf(kind), 0, out backoff)) is null)
                    {
                        return await AnswerFailureAsync(kind).ConfigureAwait(false);
                    }
                }

                if (backoff > TimeSpan.Zero && !await deadline.BackOffAsync(backoff).ConfigureAwait(false))
                {
                    return await AnswerFailureAsync(deadline.TimedOut ? UpstreamErrorKind.Timeout : UpstreamErrorKind.None).ConfigureAwait(false);
                }

                destination.RequestFinished();
                destination = next;
                destination.RequestStarted();
            }

            return await RelayAsync(response, head, cluster).ConfigureAwait(false);
        }
        finally
        {
            response?.Dispose();
            deadline.Stop();
            destination.RequestFinished();
            _tries.Finish();
            cluster.FinishRequest();
            transport.Release();
        }
    }

    /// <summary>The shorter of the route's overall timeout and the request's own deadline (either may be absent).</summary>
    private static TimeSpan? Shorter(TimeSpan? route, TimeSpan? request) =>
        route is null ? request : request is null ? route : request < route ? request : route;

    /// <summary>
    /// Writes the upstream request's target and fields as the HTTP/1.1 forwarder would (rewrite, header rules, the steps' edits,
    /// X-Forwarded-*, Via, ids) and keeps the fields HTTP/2 may carry; returns the target (path and query).
    /// </summary>
    private async ValueTask<string> CaptureAsync(ForwardTarget target)
    {
        var targetLength = (int)UpstreamRequestWriter.WriteCapture(_capture.Writer, context, target.Rewrite);
        await _capture.Writer.FlushAsync().ConfigureAwait(false);
        _capture.Reader.TryRead(out var read);
        var buffer = read.Buffer;
        var text = Encoding.Latin1.GetString(buffer.IsSingleSegment ? buffer.FirstSpan : buffer.ToArray());
        _capture.Reader.AdvanceTo(buffer.End);
        _upstreamFields.Clear();
        Http2Messages.AddFieldLines(text[targetLength..], _upstreamFields);
        return text[..targetLength];
    }

    /// <summary>Relays the response: its head through the connection's response writer (steps' response phase, edits), the body as it comes, then the trailers.</summary>
    private async ValueTask<RequestOutcome> RelayAsync(HttpResponseMessage response, RequestHead head, Cluster cluster)
    {
        deadline.Extend();
        context.Record.UpstreamResponded = Stopwatch.GetTimestamp();
        _fields.Clear();
        Http2Messages.AddAnswerFields(_fields, response.Headers.NonValidated, trailers: false);
        Http2Messages.AddAnswerFields(_fields, response.Content.Headers.NonValidated, trailers: false);

        // A client that accepts trailers gets a chunked body, the one HTTP/1.1 framing that can end with them.
        var length = head.AcceptsTrailers && head.Version != Http.HttpVersion.Http10 ? -1 : response.Content.Headers.ContentLength ?? -1;
        responses.StartRelayedStream((int)response.StatusCode, _fields, length);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            while (await stream.ReadAsync(buffer, deadline.Token).ConfigureAwait(false) is var read && read > 0)
            {
                deadline.Extend();
                await responses.WriteAsync(buffer.AsMemory(0, read), deadline.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            if (!deadline.ClientClosed && (deadline.TimedOut || ex is HttpIOException))
            {
                metrics?.UpstreamError(cluster.Id, deadline.TimedOut ? UpstreamErrorKind.Timeout : UpstreamErrorKind.Reset);
            }

            await StopBodyAsync().ConfigureAwait(false);
            return RequestOutcome.Abort;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _fields.Clear();
        Http2Messages.AddAnswerFields(_fields, response.TrailingHeaders.NonValidated, trailers: true);
        var outcome = await responses.EndStreamAsync(_fields.Count > 0 ? _fields : null).ConfigureAwait(false);
        if (!body.IsComplete)
        {
            // The upstream finished before the client's body did: the rest of it is unread, so the connection closes.
            await StopBodyAsync().ConfigureAwait(false);
            return outcome == RequestOutcome.Abort ? outcome : RequestOutcome.Close;
        }

        return outcome;
    }

    /// <summary>Stops a request body copy that is still running (the exchange failed or ended first) and waits for it.</summary>
    private async ValueTask StopBodyAsync()
    {
        if (!body.IsComplete)
        {
            deadline.Abort();
        }

        await body.WaitIdleAsync().ConfigureAwait(false);
    }

    /// <summary>The destination of the next try after a failed one, or null (also when the overall time ran out); counts retries made and refused.</summary>
    private Destination? NextTry(Cluster cluster, TryFailure failure, int status, out TimeSpan backoff)
    {
        backoff = TimeSpan.Zero;
        if (deadline.Expired)
        {
            return null;
        }

        var next = _tries.Next(failure, status, out backoff, out var refused);
        if (next is not null || refused)
        {
            metrics?.Retry(cluster.Id, refused);
        }

        return next;
    }

    /// <summary>What a failed try was for the upstream: none when the client's side failed (its body was bad, or it left).</summary>
    private UpstreamErrorKind Classify(Exception? failure) =>
        body.Error is not null || deadline.ClientClosed || body.ClientAborted ? UpstreamErrorKind.None
        : deadline.TimedOut ? UpstreamErrorKind.Timeout
        : failure is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError }
            ? UpstreamErrorKind.Connect
        : failure is HttpRequestException { HttpRequestError: HttpRequestError.HttpProtocolError or HttpRequestError.InvalidResponse or HttpRequestError.VersionNegotiationError }
            ? UpstreamErrorKind.Protocol
        : UpstreamErrorKind.Reset;

    /// <summary>Answers a request whose last try failed with <paramref name="kind"/> (or whose client side failed, for none).</summary>
    private async ValueTask<RequestOutcome> AnswerFailureAsync(UpstreamErrorKind kind)
    {
        await StopBodyAsync().ConfigureAwait(false);
        var (status, detail) = body.Error is { } bodyError ? (bodyError.Status, bodyError.Detail)
            : kind == UpstreamErrorKind.Timeout ? (504, "The upstream did not respond in time.")
            : kind == UpstreamErrorKind.Connect ? (502, "The gateway could not connect to the upstream.")
            : kind == UpstreamErrorKind.Protocol ? (502, "The upstream's HTTP/2 response was refused.")
            : (502, "The upstream failed to answer.");
        if (deadline.ClientClosed || body.ClientAborted)
        {
            return RequestOutcome.Abort;
        }

        return await responses.AnswerProblemAsync(status, detail).ConfigureAwait(false);
    }
}
