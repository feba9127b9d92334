using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Gateway.Core.Async;
using Gateway.Core.Http;
using Gateway.Core.Observability;
using Gateway.Core.Pipeline;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Proxy;

/// <summary>
/// Forwards one request to its route's cluster over a pooled HTTP/1.1 connection and streams the response back: writes
/// the upstream request head as bytes, streams the body while the response is awaited, parses the response head
/// strictly, relays the body with the framing the client needs, and returns the connection to its pool only after a clean
/// exchange. Which destination each try goes to, and whether a failed try gets another, is the cluster's
/// <see cref="RequestTries"/>' decision (failover, the route's retries, the retry budget); the forwarder keeps a body a retry
/// may send again, bounds each try and the whole exchange in time, and reports each try to the cluster's health checks. Failures before the response
/// become problem responses (400, 408, 413, 502, 503, 504) through the connection's response writer, which keeps the
/// connection open when the whole request was read; failures after it abort. A WebSocket handshake the upstream accepts
/// (101) leaves a <see cref="WebSocketTunnel"/> over the client's pipes for the connection to run. Serves one client
/// connection at a time (<see cref="Bind"/>), request after request.
/// </summary>
internal sealed partial class Forwarder(
    RequestBodyReader body, UpstreamDeadline deadline, RequestContext context, Http1ResponseWriter responses,
    GatewayMetrics? metrics, TimeSpan webSocketIdleTimeout, MillisecondClock clock) : IDisposable
{
    private readonly UpstreamResponseHead _response = new();
    private readonly UpstreamBodyStream _bodyStream = new();
    private readonly KeptRequestBody _keptBody = new();
    private readonly ChunkedDecoder _chunked = new();
    private readonly RequestTries _tries = new();
    private static readonly Task<bool> NoBody = Task.FromResult(true);

    private PipeReader _clientInput = null!;
    private PipeWriter _clientOutput = null!;
    private Func<bool> _closeRequested = null!;
    private Task<bool> _bodySent = NoBody;
    private bool _bodyKept;
    private Http2Forwarder? _http2;

    /// <summary>How far the exchange got when the response head was awaited.</summary>
    private enum HeadOutcome
    {
        NeedMore,
        Received,
        Malformed,
        Failed,
    }

    /// <summary>
    /// Serves the client connection of <paramref name="input"/> and <paramref name="output"/> from now on;
    /// <paramref name="closeRequested"/> says whether it has been asked to close (shutdown).
    /// </summary>
    public void Bind(PipeReader input, PipeWriter output, Func<bool> closeRequested)
    {
        (_clientInput, _clientOutput, _closeRequested) = (input, output, closeRequested);
        Tunnel = null;
    }

    /// <summary>Forwards the context's request to <paramref name="target"/>, noting what happened in its record.</summary>
    [AsyncMethodBuilder(typeof(SharedPoolValueTaskMethodBuilder<>))]
    public async ValueTask<RequestOutcome> ForwardAsync(ForwardTarget target)
    {
        var head = context.Head;
        var record = context.Record;
        var cluster = target.Cluster;
        if (cluster.Http2 is not null)
        {
            return await (_http2 ??= new Http2Forwarder(context, body, deadline, responses, metrics)).ForwardAsync(target).ConfigureAwait(false);
        }

        if (!cluster.TryStartRequest())
        {
            metrics?.ClusterOverflow(cluster.Id, "requests");
            return await responses.AnswerProblemAsync(503, "The upstream service has too many requests in flight; try again later.").ConfigureAwait(false);
        }

        var retry = target.Retry is { } policy && Replayable(head, policy) ? policy : null;
        var key = cluster.HashKey is { } hashKey ? RequestHashKey.Of(context, hashKey) : null;
        var destination = _tries.Start(cluster, retry, key);
        destination.RequestStarted();
        _response.UpgradeRequested = head.WebSocketUpgrade && target.Upgrade;
        deadline.Start(cluster.Timeout, target.Timeout);
        UpstreamConnection? connection = null;
        var reusable = false;
        try
        {
            if (retry is not null && head.HasBody && await KeepBodyAsync((int)head.ContentLength).ConfigureAwait(false) is { } bodyFailure)
            {
                return await AnswerFailureAsync(Classify(bodyFailure)).ConfigureAwait(false);
            }

            while (true)
            {
                record.Tries = _tries.Count;
                record.Upstream = destination.Address;
                record.UpstreamSent = Stopwatch.GetTimestamp();
                if (retry?.PerTryTimeout is not null || _tries.Count > 1 || _bodyKept)
                {
                    // A try after the first, or after the client's body was read to keep it, gets its own time.
                    deadline.StartTry(retry?.PerTryTimeout);
                }

                var pool = destination.Connections;
                var fresh = false;
                HeadOutcome outcome;
                Exception? failure = null;
                while (true)
                {
                    try
                    {
                        connection = await pool.RentAsync(fresh, cluster.Pending, deadline.Token).ConfigureAwait(false);
                    }
                    catch (ClusterOverloadedException ex)
                    {
                        metrics?.ClusterOverflow(cluster.Id, "pending");
                        return await responses.AnswerProblemAsync(503, ex.Message + " Try again later.").ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is IOException or OperationCanceledException)
                    {
                        (outcome, failure) = (HeadOutcome.Failed, ex);
                        break;
                    }

                    // The response head is awaited here rather than in a method of its own: this is where a request waits on its
                    // upstream, and each async layer that waits costs the request a state machine box.
                    try
                    {
                        await SendRequestAsync(connection, head, target, destination).ConfigureAwait(false);
                        do
                        {
                            var read = await connection.Input.ReadAsync(deadline.Token).ConfigureAwait(false);
                            outcome = ExamineResponseHead(connection.Input, read, out failure);
                        }
                        while (outcome == HeadOutcome.NeedMore);
                    }
                    catch (Exception ex) when (IsTransportFailure(ex))
                    {
                        (outcome, failure) = (HeadOutcome.Failed, ex);
                    }

                    if (outcome == HeadOutcome.Received)
                    {
                        break;
                    }

                    await StopBodyAsync(connection).ConfigureAwait(false);
                    pool.Close(connection);
                    connection = null;
                    if (outcome == HeadOutcome.Failed && !fresh && IsStale(failure!, head))
                    {
                        // The upstream closed an idle keep-alive connection as the request went out: nothing was processed.
                        fresh = true;
                        continue;
                    }

                    break;
                }

                Destination? next;
                TimeSpan backoff;
                if (outcome == HeadOutcome.Received)
                {
                    var status = _response.Status;
                    var failed = cluster.IsFailureStatus(status);
                    cluster.Report(destination, failed);
                    if (retry?.OnStatus(status) != true || (next = NextTry(cluster, TryFailure.Status, status, out backoff)) is null)
                    {
                        break;
                    }

                    // The answer is dropped (the next try's answer replaces it), and its connection kept when nothing of it is left to read.
                    Release(pool, connection!, SkipDroppedAnswer(connection!, head));
                    connection = null;
                }
                else
                {
                    var kind = Classify(failure);
                    if (kind != UpstreamErrorKind.None)
                    {
                        cluster.Report(destination, failed: true);
                        metrics?.UpstreamError(cluster.Id, kind);
                    }

                    if (kind == UpstreamErrorKind.None || (next = NextTry(cluster, FailureOf(kind), 0, out backoff)) is null)
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

            if (_response.Status == 101)
            {
                // The tunnel takes the connection over: it is never pooled again.
                var switched = await SwitchProtocolsAsync(connection!, destination.Connections, record).ConfigureAwait(false);
                connection = switched == RequestOutcome.Upgraded ? null : connection;
                return switched;
            }

            (var result, reusable) = await RelayResponseAsync(connection!, head, cluster, record).ConfigureAwait(false);

            // The upstream exchange is over. The response goes out first (a flush to a writable socket sends at once); then the
            // connection is freed before any wait on the client, so the next request finds it idle. Freeing it posts the read
            // that watches it while idle, a system call the client need not wait for.
            var flushed = result == RequestOutcome.Abort ? ValueTask.FromResult(result) : FlushToClientAsync(result);
            Release(destination.Connections, connection!, reusable);
            connection = null;
            return await flushed.ConfigureAwait(false);
        }
        finally
        {
            deadline.Stop();
            destination.RequestFinished();
            if (connection is not null)
            {
                Release(destination.Connections, connection, reusable);
            }

            _tries.Finish();
            cluster.FinishRequest();
            if (_bodyKept)
            {
                _bodyKept = false;
                _keptBody.Release();
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _response.Dispose();

    private static void Release(UpstreamConnectionPool pool, UpstreamConnection connection, bool reusable)
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

    /// <summary>
    /// Skips the body of an answer a retry replaces when it is already received whole (a short 503's usually is); true when the
    /// connection may then serve another request. A body still on its way, or one of unknown length, closes the connection
    /// rather than making the retry wait for it. (A request that is retried had its body, if any, kept and sent whole with
    /// its head, so nothing of the request is still on its way.)
    /// </summary>
    private bool SkipDroppedAnswer(UpstreamConnection connection, RequestHead head)
    {
        if (!_response.KeepAlive || _response.Chunked || _response.ContentLength < 0)
        {
            return false;
        }

        var length = head.AnswerHasNoBody(_response.Status) ? 0 : _response.ContentLength;
        if (!connection.Input.TryRead(out var read))
        {
            return length == 0;
        }

        var whole = read.Buffer.Length == length && !read.IsCompleted;
        connection.Input.AdvanceTo(whole ? read.Buffer.End : read.Buffer.Start);
        return whole;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RequestOutcome> FlushToClientAsync(RequestOutcome result)
    {
        try
        {
            await _clientOutput.FlushAsync().ConfigureAwait(false);
            return result;
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            return RequestOutcome.Abort;
        }
    }

    /// <summary>Sends the request head on <paramref name="connection"/>, and starts streaming the body when there is one.</summary>
    private ValueTask<FlushResult> SendRequestAsync(UpstreamConnection connection, RequestHead head, ForwardTarget target, Destination destination)
    {
        UpstreamRequestWriter.Write(connection.Output, context, target.Rewrite, destination.Endpoint, _response.UpgradeRequested);
        _bodySent = NoBody;
        if (_bodyKept)
        {
            connection.Output.Write(_keptBody.Bytes.Span);
        }

        if (!head.HasBody || _bodyKept)
        {
            return connection.Output.FlushAsync(deadline.Token);
        }

        _bodyStream.Start(connection.Output, head.Chunked);
        _bodySent = SendBodyAsync(connection);
        return default;
    }

    /// <summary>
    /// Looks at what a read brought for the response head: the final head (consumed; a 101 the parser accepted switches to a
    /// WebSocket), an interim 1xx (consumed, so more is needed), a malformed head, or the end of the connection before a head.
    /// </summary>
    private HeadOutcome ExamineResponseHead(PipeReader input, in ReadResult read, out Exception? failure)
    {
        failure = null;
        var buffer = read.Buffer;
        var status = _response.TryParse(buffer);
        if (status == ResponseHeadStatus.Complete)
        {
            input.AdvanceTo(buffer.GetPosition(_response.Length));
            return _response.Status >= 200 || _response.Status == 101 ? HeadOutcome.Received : HeadOutcome.NeedMore;
        }

        input.AdvanceTo(buffer.Start, buffer.End);
        if (status == ResponseHeadStatus.Malformed)
        {
            return HeadOutcome.Malformed;
        }

        if (read.IsCompleted)
        {
            failure = new UpstreamClosedException(buffer.IsEmpty);
            return HeadOutcome.Failed;
        }

        return HeadOutcome.NeedMore;
    }

    /// <summary>Streams the client's body upstream; on any failure cuts the upstream connection so the pending response read ends too.</summary>
    private async Task<bool> SendBodyAsync(UpstreamConnection connection)
    {
        try
        {
            await body.CopyToAsync(_bodyStream, deadline.Token).ConfigureAwait(false);
            _bodyStream.WriteEnd();
            await _bodyStream.FlushAsync(deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (IsTransportFailure(ex) || ex is InvalidDataException)
        {
            connection.Abort();
            return false;
        }
    }

    /// <summary>Ends a body transfer that is still running (the exchange failed or the upstream answered early) and waits for it.</summary>
    private async ValueTask StopBodyAsync(UpstreamConnection connection)
    {
        if (_bodySent.IsCompleted)
        {
            return;
        }

        connection.Abort();
        if (!body.IsComplete)
        {
            deadline.Abort();
        }

        await _bodySent.ConfigureAwait(false);
    }

    /// <summary>
    /// True when a failed exchange may be tried once more on a new connection: it failed on a reused connection before any
    /// response byte, and the request is idempotent and has no body or a kept one (RFC 9110 §9.2.2), so the upstream cannot
    /// have acted on it twice.
    /// </summary>
    private bool IsStale(Exception failure, RequestHead head) =>
        UpstreamConnection.LostBeforeAnswer(failure)
        && (!head.HasBody || _bodyKept) && !deadline.Token.IsCancellationRequested && IsIdempotent(head.MethodBytes);

    /// <summary>The destination of the next try after one failed with <paramref name="failure"/>, or null (also when the overall time ran out); counts retries made and refused.</summary>
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

    /// <summary>How a try that failed with <paramref name="kind"/> counts for retries and failover.</summary>
    internal static TryFailure FailureOf(UpstreamErrorKind kind) => kind switch
    {
        UpstreamErrorKind.Connect => TryFailure.Connect,
        UpstreamErrorKind.Reset => TryFailure.Reset,
        UpstreamErrorKind.Timeout => TryFailure.Timeout,
        _ => TryFailure.Protocol,
    };

    /// <summary>Reads the whole request body (its declared length) so that a retry can send it again; the failure, or null.</summary>
    private async ValueTask<Exception?> KeepBodyAsync(int length)
    {
        _keptBody.Start(length);
        _bodyKept = true;
        try
        {
            await body.CopyToAsync(_keptBody, deadline.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (IsTransportFailure(ex) || ex is InvalidDataException)
        {
            return ex;
        }
    }

    /// <summary>
    /// True for requests a retry may send again: idempotent ones (RFC 9110 §9.2.2), or any carrying <c>Idempotency-Key</c>
    /// when the route opts in, with no body or one small enough to keep.
    /// </summary>
    private static bool Replayable(RequestHead head, RetryPolicy retry) =>
        (IsIdempotent(head.MethodBytes) || (retry.IdempotencyKey && !head.FirstValueOf("Idempotency-Key"u8).IsEmpty))
        && (!head.HasBody || (!head.Chunked && head.ContentLength <= retry.MaxBodyBytes));

    /// <summary>True for the methods RFC 9110 §9.2.2 calls idempotent.</summary>
    internal static bool IsIdempotent(ReadOnlySpan<byte> method) =>
        method.SequenceEqual("GET"u8) || method.SequenceEqual("HEAD"u8) || method.SequenceEqual("OPTIONS"u8)
        || method.SequenceEqual("TRACE"u8) || method.SequenceEqual("PUT"u8) || method.SequenceEqual("DELETE"u8);

    private static bool IsTransportFailure(Exception exception) =>
        exception is IOException or OperationCanceledException or ObjectDisposedException or SocketException or InvalidOperationException;

    /// <summary>What a try's failure was for the upstream: none when the client's side failed (its body was bad, or it left).</summary>
    private UpstreamErrorKind Classify(Exception? exception) =>
        body.Error is not null || deadline.ClientClosed || body.ClientAborted ? UpstreamErrorKind.None
        : deadline.TimedOut ? UpstreamErrorKind.Timeout
        : exception is null ? UpstreamErrorKind.Protocol
        : exception is UpstreamConnectException ? UpstreamErrorKind.Connect
        : UpstreamErrorKind.Reset;

    /// <summary>Answers a request whose last try failed with <paramref name="kind"/> (or whose client side failed, for none).</summary>
    private async ValueTask<RequestOutcome> AnswerFailureAsync(UpstreamErrorKind kind)
    {
        var (status, detail) = body.Error is { } bodyError ? (bodyError.Status, bodyError.Detail)
            : kind == UpstreamErrorKind.Timeout ? (504, "The upstream did not respond in time.")
            : kind == UpstreamErrorKind.Connect ? (502, "The gateway could not connect to the upstream.")
            : kind == UpstreamErrorKind.Protocol ? (502, $"The upstream's response was refused: {_response.Problem}.")
            : (502, "The upstream failed to answer.");

        // Any body transfer has ended (StopBodyAsync), so the client's pipe is free for the answer.
        if (deadline.ClientClosed || body.ClientAborted)
        {
            return RequestOutcome.Abort;
        }

        // The connection stays open when the whole request was read: nothing of it is left to misread as the next one.
        return await responses.AnswerProblemAsync(status, detail).ConfigureAwait(false);
    }
}
