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
/// exchange. Failures before the response become problem responses (400, 408, 413, 502, 504) through the connection's
/// response writer, which keeps the connection open when the whole request was read; failures after it abort.
/// One per client connection; <paramref name="closeRequested"/> says whether that connection has been asked to close (shutdown).
/// </summary>
internal sealed partial class Forwarder(
    PipeWriter output, RequestBodyReader body, UpstreamDeadline deadline, RequestContext context, Http1ResponseWriter responses, GatewayMetrics? metrics,
    Func<bool> closeRequested) : IDisposable
{
    private readonly UpstreamResponseHead _response = new();
    private readonly UpstreamBodyStream _bodyStream = new();
    private readonly ChunkedDecoder _chunked = new();
    private static readonly Task<bool> NoBody = Task.FromResult(true);

    private Task<bool> _bodySent = NoBody;

    /// <summary>How far the exchange got when the response head was awaited.</summary>
    private enum HeadOutcome
    {
        NeedMore,
        Received,
        Malformed,
        Failed,
    }

    /// <summary>Forwards the context's request to <paramref name="target"/>, noting what happened in its record.</summary>
    [AsyncMethodBuilder(typeof(SharedPoolValueTaskMethodBuilder<>))]
    public async ValueTask<RequestOutcome> ForwardAsync(ForwardTarget target)
    {
        var head = context.Head;
        var record = context.Record;
        var cluster = target.Cluster;
        var destination = cluster.PickDestination();
        var pool = destination.Connections;
        record.Upstream = destination.Address;
        record.UpstreamSent = Stopwatch.GetTimestamp();
        destination.RequestStarted();
        deadline.Start(cluster.Timeout);
        UpstreamConnection? connection = null;
        var reusable = false;
        try
        {
            var fresh = false;
            while (true)
            {
                try
                {
                    connection = await pool.RentAsync(fresh, deadline.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or OperationCanceledException)
                {
                    return await FailBeforeResponseAsync(ex, cluster).ConfigureAwait(false);
                }

                // The response head is awaited here rather than in a method of its own: this is where a request waits on its
                // upstream, and each async layer that waits costs the request a state machine box.
                HeadOutcome outcome;
                Exception? failure = null;
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
                if (outcome == HeadOutcome.Failed && !fresh && CanRetry(connection, head, failure!))
                {
                    // The upstream closed an idle keep-alive connection as the request went out: nothing was processed.
                    pool.Close(connection);
                    connection = null;
                    fresh = true;
                    continue;
                }

                return await FailBeforeResponseAsync(failure, cluster).ConfigureAwait(false);
            }

            (var result, reusable) = await RelayResponseAsync(connection, head, cluster, record).ConfigureAwait(false);

            // The upstream exchange is over. The response goes out first (a flush to a writable socket sends at once); then the
            // connection is freed before any wait on the client, so the next request finds it idle. Freeing it posts the read
            // that watches it while idle, a system call the client need not wait for.
            var flushed = result == RequestOutcome.Abort ? ValueTask.FromResult(result) : FlushToClientAsync(result);
            Release(pool, connection, reusable);
            connection = null;
            return await flushed.ConfigureAwait(false);
        }
        finally
        {
            deadline.Stop();
            destination.RequestFinished();
            if (connection is not null)
            {
                Release(pool, connection, reusable);
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

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RequestOutcome> FlushToClientAsync(RequestOutcome result)
    {
        try
        {
            await output.FlushAsync().ConfigureAwait(false);
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
        UpstreamRequestWriter.Write(connection.Output, context, target.Rewrite, destination.Endpoint);
        _bodySent = NoBody;
        if (!head.HasBody)
        {
            return connection.Output.FlushAsync(deadline.Token);
        }

        _bodyStream.Start(connection.Output, head.Chunked);
        _bodySent = SendBodyAsync(connection);
        return default;
    }

    /// <summary>
    /// Looks at what a read brought for the response head: the final head (consumed), an interim 1xx (consumed, so more is
    /// needed), a malformed head, or the end of the connection before a head.
    /// </summary>
    private HeadOutcome ExamineResponseHead(PipeReader input, in ReadResult read, out Exception? failure)
    {
        failure = null;
        var buffer = read.Buffer;
        var status = _response.TryParse(buffer);
        if (status == ResponseHeadStatus.Complete)
        {
            input.AdvanceTo(buffer.GetPosition(_response.Length));
            return _response.Status >= 200 ? HeadOutcome.Received : HeadOutcome.NeedMore;
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
    /// response byte, and the request is idempotent and has no body (RFC 9110 §9.2.2), so the upstream cannot have acted on it twice.
    /// </summary>
    private bool CanRetry(UpstreamConnection connection, RequestHead head, Exception failure) =>
        connection.Reused && !head.HasBody && !deadline.Token.IsCancellationRequested
        && failure is UpstreamClosedException { BeforeAnyByte: true } or IOException { InnerException: SocketException }
        && IsIdempotent(head.MethodBytes);

    private static bool IsIdempotent(ReadOnlySpan<byte> method) =>
        method.SequenceEqual("GET"u8) || method.SequenceEqual("HEAD"u8) || method.SequenceEqual("OPTIONS"u8)
        || method.SequenceEqual("TRACE"u8) || method.SequenceEqual("PUT"u8) || method.SequenceEqual("DELETE"u8);

    private static bool IsTransportFailure(Exception exception) =>
        exception is IOException or OperationCanceledException or ObjectDisposedException or SocketException or InvalidOperationException;

    private async ValueTask<RequestOutcome> FailBeforeResponseAsync(Exception? exception, Cluster cluster)
    {
        var kind = body.Error is not null || deadline.ClientClosed || body.ClientAborted ? UpstreamErrorKind.None
            : deadline.TimedOut ? UpstreamErrorKind.Timeout
            : exception is null ? UpstreamErrorKind.Protocol
            : exception is UpstreamConnectException ? UpstreamErrorKind.Connect
            : UpstreamErrorKind.Reset;
        var (status, detail) = body.Error is { } bodyError ? (bodyError.Status, bodyError.Detail)
            : kind == UpstreamErrorKind.Timeout ? (504, "The upstream did not respond in time.")
            : kind == UpstreamErrorKind.Connect ? (502, "The gateway could not connect to the upstream.")
            : kind == UpstreamErrorKind.Protocol ? (502, $"The upstream's response was refused: {_response.Problem}.")
            : (502, "The upstream failed to answer.");
        if (kind != UpstreamErrorKind.None)
        {
            metrics?.UpstreamError(cluster.Id, kind);
        }

        // Any body transfer has ended (StopBodyAsync), so the client's pipe is free for the answer.
        if (deadline.ClientClosed || body.ClientAborted)
        {
            return RequestOutcome.Abort;
        }

        // The connection stays open when the whole request was read: nothing of it is left to misread as the next one.
        return await responses.AnswerProblemAsync(status, detail).ConfigureAwait(false);
    }
}
