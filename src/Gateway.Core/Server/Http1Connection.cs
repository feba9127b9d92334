using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Gateway.Core.Async;
using Gateway.Core.Configuration;
using Gateway.Core.Http;
using Gateway.Core.Observability;
using Gateway.Core.Policies;
using Gateway.Core.Proxy;
using Gateway.Core.Routing;

namespace Gateway.Core.Server;

/// <summary>
/// One client connection's HTTP/1.1 loop: read and parse a request head, route it, forward it, write the
/// response; repeat while the connection stays alive. Requests pipelined by the client are answered in
/// order. The heartbeat enforces the idle and head deadlines and the minimum body rate by cancelling the pending read.
/// </summary>
public sealed class Http1Connection : IDisposable
{
    private const int Busy = 0;
    private const int Idle = 1;
    private const int ReadingHead = 2;

    private readonly GatewayEngine _engine;
    private readonly HttpLimits _limits;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly Action _abort;
    private readonly ClientInfo _client;
    private readonly RequestReporter _reporter;
    private readonly RequestRecord _record = new();
    private readonly ResponseFields _responseFields = new();
    private readonly PolicyContext _policyContext;
    private readonly RequestHead _head = new();
    private readonly HttpRequestParser _parser;
    private readonly RequestBodyReader _body;
    private readonly UpstreamDeadline _upstreamDeadline;
    private readonly Forwarder _forwarder;
    private readonly Range[] _parameters = new Range[RouteTable<ProxyRoute>.MaxParameters];
    private long _deadline;
    private int _state = Busy;
    private volatile bool _timedOut;
    private volatile bool _closeRequested;

    /// <summary>What a read brought for the request head.</summary>
    private enum HeadStep
    {
        NeedMore,
        Complete,
        Reject,
        End,
    }

    /// <summary>Wires a connection's pipes to the engine.</summary>
    public Http1Connection(GatewayEngine engine, IDuplexPipe transport, ClientInfo client, Action abort, CancellationToken clientClosed)
    {
        _engine = engine;
        _limits = engine.Settings.Limits;
        _input = transport.Input;
        _output = transport.Output;
        _abort = abort;
        _client = client;
        _reporter = engine.Reporter;
        _parser = new HttpRequestParser(_limits);
        _body = new RequestBodyReader(_input, _output, _limits);
        _upstreamDeadline = new UpstreamDeadline(clientClosed);
        _policyContext = new PolicyContext(client.RemoteAddress, _responseFields);
        _forwarder = new Forwarder(_output, _body, _upstreamDeadline, client, _responseFields, engine.Reporter.Metrics, () => ClosingDown);
    }

    /// <summary>
    /// Serves requests until the client leaves, a deadline passes, an error closes the connection, or shutdown. Reads
    /// for the next head are awaited here, in the one state machine the connection keeps, so waiting for a request costs
    /// no allocation.
    /// </summary>
    public async Task RunAsync()
    {
        _engine.Heartbeat.Add(this);
        try
        {
            BeginHead(_limits.RequestHeadersTimeout);
            while (!ClosingDown || Volatile.Read(ref _state) != Idle)
            {
                var read = await _input.ReadAsync().ConfigureAwait(false);
                var step = ExamineHead(read, out var error);
                if (step == HeadStep.NeedMore)
                {
                    continue;
                }

                if (step != HeadStep.Complete)
                {
                    Volatile.Write(ref _state, Busy);
                    if (error is not null)
                    {
                        await RefuseAsync(_engine, _output, _client, error).ConfigureAwait(false);
                    }

                    break;
                }

                _reporter.Started();
                ForwardResult result;
                try
                {
                    result = await HandleRequestAsync().ConfigureAwait(false);
                }
                finally
                {
                    _record.BytesIn += _body.BytesReceived;
                    _reporter.Completed(_record, _head, _client.RemoteAddress);
                }

                if (result == ForwardResult.Abort)
                {
                    _abort();
                }

                if (result != ForwardResult.KeepAlive || ClosingDown)
                {
                    break;
                }

                BeginHead(_limits.KeepAliveTimeout);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The transport failed or was aborted; there is no one left to answer.
        }
        finally
        {
            _engine.Heartbeat.Remove(this);
            await _body.WaitIdleAsync().ConfigureAwait(false);
        }
    }

    /// <summary>True once this connection or the whole gateway is shutting down: the current answer is the last.</summary>
    private bool ClosingDown => _closeRequested || _engine.Draining;

    /// <summary>Asks the connection to finish its current request and close (graceful shutdown).</summary>
    public void RequestClose()
    {
        _closeRequested = true;
        if (Volatile.Read(ref _state) == Idle)
        {
            _input.CancelPendingRead();
        }
    }

    /// <summary>
    /// Answers <paramref name="error"/> with <c>Connection: close</c> and counts the rejection; the caller then closes the
    /// connection. Used for a request head the front cannot accept, and for a whole connection a cap refuses before reading.
    /// </summary>
    public static async Task RefuseAsync(GatewayEngine engine, PipeWriter output, ClientInfo client, RequestError error)
    {
        var sent = ProblemResponse.Write(output, error.Status, error.Detail, close: true);
        await output.FlushAsync().ConfigureAwait(false);
        engine.Reporter.Rejected(error.Status, sent, client.RemoteAddress);
    }

    /// <summary>
    /// Called once a second: cancels the pending read when the idle or head deadline has passed, or, while a request is
    /// in progress, lets the body reader check the minimum body rate.
    /// </summary>
    internal void OnHeartbeat(long now)
    {
        if (Volatile.Read(ref _state) == Busy)
        {
            _body.OnHeartbeat(now);
        }
        else if (now > Volatile.Read(ref _deadline))
        {
            _timedOut = true;
            _input.CancelPendingRead();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _upstreamDeadline.Dispose();
        _forwarder.Dispose();
        _head.Dispose();
    }

    /// <summary>Waits for the next request head: the idle deadline runs until its first byte arrives.</summary>
    private void BeginHead(TimeSpan idleTimeout)
    {
        _parser.Reset();
        _timedOut = false;
        Volatile.Write(ref _deadline, Environment.TickCount64 + (long)idleTimeout.TotalMilliseconds);
        Volatile.Write(ref _state, Idle);
    }

    /// <summary>
    /// Looks at what a read brought for the head: a complete head (consumed, the request starts), more needed, a
    /// rejection (<paramref name="error"/> to answer, or null to close silently after an idle timeout), or the end of input.
    /// </summary>
    private HeadStep ExamineHead(in ReadResult read, out RequestError? error)
    {
        error = null;
        var buffer = read.Buffer;
        if (read.IsCanceled && _timedOut)
        {
            error = Volatile.Read(ref _state) == ReadingHead ? RequestError.HeadTimeout : null;
            return HeadStep.Reject;
        }

        if (!buffer.IsEmpty && Volatile.Read(ref _state) == Idle)
        {
            Volatile.Write(ref _deadline, Environment.TickCount64 + (long)_limits.RequestHeadersTimeout.TotalMilliseconds);
            Volatile.Write(ref _state, ReadingHead);
        }

        var status = _parser.TryReadHead(buffer, _head, out var headLength, out error);
        if (status == HeadStatus.Complete)
        {
            Volatile.Write(ref _state, Busy);
            _input.AdvanceTo(buffer.GetPosition(headLength));
            _record.Start(_head, headLength);
            return HeadStep.Complete;
        }

        _input.AdvanceTo(buffer.Start, buffer.End);
        return status == HeadStatus.Error ? HeadStep.Reject
            : read.IsCompleted ? HeadStep.End
            : HeadStep.NeedMore;
    }

    /// <summary>
    /// Routes the request, then forwards or answers it. Not itself async: the common path hands the forwarder's task
    /// straight back, so a request that waits on its upstream keeps one fewer state machine alive.
    /// </summary>
    private ValueTask<ForwardResult> HandleRequestAsync()
    {
        var head = _head;
        _responseFields.Clear();
        _body.Start(head);
        if (head.AsteriskForm)
        {
            return AnswerServerOptionsAsync();
        }

        var routes = _engine.Snapshot.Routes;
        var match = routes.Match(head.RouteHostBytes, head.MethodBytes, head.PathBytes, _parameters, out var route, out var allow);
        if (match != RouteMatchStatus.Matched)
        {
            var notFound = match == RouteMatchStatus.NotFound;
            return AnswerAsync(
                notFound ? 404 : 405,
                notFound ? "No route matches the request." : "The route does not accept this method.",
                notFound ? null : allow);
        }

        _record.RouteId = route!.Id;
        _record.RouteMetrics = route.Value.Metrics;
        if (head.ContentLength > _limits.MaxRequestBodyBytes)
        {
            return AnswerAsync(RequestError.BodyTooLarge.Status, RequestError.BodyTooLarge.Detail);
        }

        return route.Value.Policies.Length > 0
            ? ApplyPoliciesThenForwardAsync(route.Value)
            : _forwarder.ForwardAsync(head, route.Value, _parameters, _record);
    }

    /// <summary>Runs the route's policies in order; the first that stops the request answers it, else the request is forwarded.</summary>
    [AsyncMethodBuilder(typeof(SharedPoolValueTaskMethodBuilder<>))]
    private async ValueTask<ForwardResult> ApplyPoliciesThenForwardAsync(ProxyRoute route)
    {
        _policyContext.Reset(_head, route.Id);
        foreach (var policy in route.Policies)
        {
            var outcome = await policy.ApplyAsync(_policyContext).ConfigureAwait(false);
            if (!outcome.Continues)
            {
                return await AnswerAsync(outcome.Status, outcome.Detail!, retryAfter: outcome.RetryAfter).ConfigureAwait(false);
            }
        }

        return await _forwarder.ForwardAsync(_head, route, _parameters, _record).ConfigureAwait(false);
    }

    /// <summary>
    /// Answers <c>OPTIONS *</c> itself (RFC 9110 §9.3.7: it is about the server, not a resource, so no route or upstream
    /// applies): 200 with no content (RFC 9110 §9.3.7 asks for <c>Content-Length: 0</c>).
    /// </summary>
    private async ValueTask<ForwardResult> AnswerServerOptionsAsync()
    {
        var close = AnswerCloses;
        _record.Status = 200;
        _record.BytesOut += WriteServerOptions(_output, close, _head.Version == HttpVersion.Http10, _record.RequestId);
        await _output.FlushAsync().ConfigureAwait(false);
        return close ? ForwardResult.Close : ForwardResult.KeepAlive;
    }

    private static long WriteServerOptions(PipeWriter output, bool close, bool http10, ReadOnlySpan<byte> requestId)
    {
        var head = new HeadWriter(output);
        head.Write(StatusLines.For(200));
        head.Write(DateHeader.Line);
        head.Write("Content-Length: 0\r\nX-Request-Id: "u8);
        head.Write(requestId);
        head.Write(close ? "\r\nConnection: close\r\n\r\n"u8 : http10 ? "\r\nConnection: keep-alive\r\n\r\n"u8 : "\r\n\r\n"u8);
        head.Commit();
        return head.Total;
    }

    /// <summary>True when a response the gateway answers itself must close the connection: no keep-alive, shutdown, or a body left unread.</summary>
    private bool AnswerCloses => !_head.KeepAlive || _head.HasBody || ClosingDown;

    /// <summary>Answers with a problem response; the connection stays open only when no request body is left unread.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ForwardResult> AnswerAsync(int status, string detail, string? allow = null, string? retryAfter = null)
    {
        var close = AnswerCloses;
        _record.Status = status;
        _record.BytesOut += ProblemResponse.Write(
            _output, status, detail, close, _record.RequestId, allow, retryAfter, _responseFields.Lines, http10KeepAlive: _head.Version == HttpVersion.Http10);
        await _output.FlushAsync().ConfigureAwait(false);
        return close ? ForwardResult.Close : ForwardResult.KeepAlive;
    }
}
