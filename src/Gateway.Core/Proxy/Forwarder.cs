using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Gateway.Core.Http;
using Gateway.Core.Observability;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Proxy;

/// <summary>
/// Forwards one request to its route's cluster over a pooled HTTP/1.1 connection and streams the response back: writes
/// the upstream request head as bytes, streams the body while the response is awaited, parses the response head
/// strictly, relays the body with the framing the client needs, and returns the connection to its pool only after a clean
/// exchange. Failures before the response become problem responses (400, 413, 502, 504); failures after it abort.
/// One per client connection; <paramref name="closeRequested"/> says whether that connection has been asked to close (shutdown).
/// </summary>
internal sealed partial class Forwarder(
    PipeWriter output, RequestBodyReader body, UpstreamDeadline deadline, ClientInfo client, ResponseFields responseFields, GatewayMetrics? metrics,
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
        Received,
        Malformed,
        Failed,
    }

    /// <summary>Forwards the request described by <paramref name="head"/> along <paramref name="route"/>, noting what happened in <paramref name="record"/>.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ForwardResult> ForwardAsync(RequestHead head, ProxyRoute route, Range[] parameters, RequestRecord record)
    {
        var cluster = route.Cluster;
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
                    return await FailBeforeResponseAsync(ex, cluster, record).ConfigureAwait(false);
                }

                var (outcome, failure) = await ExchangeHeadAsync(connection, head, route, parameters, destination, record).ConfigureAwait(false);
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

                return await FailBeforeResponseAsync(failure, cluster, record).ConfigureAwait(false);
            }

            (var result, reusable) = await RelayResponseAsync(connection, head, cluster, record).ConfigureAwait(false);

            // The upstream exchange is over: free its connection before waiting on the client, so the next request finds it idle.
            Release(pool, connection, reusable);
            connection = null;
            return result == ForwardResult.Abort ? result : await FlushToClientAsync(result).ConfigureAwait(false);
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
    private async ValueTask<ForwardResult> FlushToClientAsync(ForwardResult result)
    {
        try
        {
            await output.FlushAsync().ConfigureAwait(false);
            return result;
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            return ForwardResult.Abort;
        }
    }

    /// <summary>
    /// Sends the request head (and starts the body) on <paramref name="connection"/>, then waits for the final response head,
    /// skipping interim 1xx responses.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(HeadOutcome Outcome, Exception? Failure)> ExchangeHeadAsync(
        UpstreamConnection connection, RequestHead head, ProxyRoute route, Range[] parameters, Upstreams.Destination destination, RequestRecord record)
    {
        try
        {
            UpstreamRequestWriter.Write(connection.Output, head, route, parameters, destination.Endpoint, client, record);
            _bodySent = NoBody;
            if (head.HasBody)
            {
                _bodyStream.Start(connection.Output, head.Chunked);
                _bodySent = SendBodyAsync(connection);
            }
            else
            {
                await connection.Output.FlushAsync(deadline.Token).ConfigureAwait(false);
            }

            var input = connection.Input;
            while (true)
            {
                var result = await input.ReadAsync(deadline.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var status = _response.TryParse(buffer);
                if (status == ResponseHeadStatus.Complete)
                {
                    input.AdvanceTo(buffer.GetPosition(_response.Length));
                    if (_response.Status >= 200)
                    {
                        return (HeadOutcome.Received, null);
                    }

                    continue;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (status == ResponseHeadStatus.Malformed)
                {
                    return (HeadOutcome.Malformed, null);
                }

                if (result.IsCompleted)
                {
                    return (HeadOutcome.Failed, new UpstreamClosedException(buffer.IsEmpty));
                }
            }
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            return (HeadOutcome.Failed, ex);
        }
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

    private async ValueTask<ForwardResult> FailBeforeResponseAsync(Exception? exception, Upstreams.Cluster cluster, RequestRecord record)
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
            return ForwardResult.Abort;
        }

        record.Status = status;
        record.BytesOut += ProblemResponse.Write(output, status, detail, close: true, record.RequestId, extraFields: responseFields.Lines);
        await output.FlushAsync().ConfigureAwait(false);
        return ForwardResult.Close;
    }
}
