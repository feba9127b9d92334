using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Gateway.Core.Async;
using Gateway.Core.Http;
using Gateway.Core.Observability;
using Gateway.Core.Pipeline;
using Gateway.Core.Proxy;
using Gateway.Core.Routing;

namespace Gateway.Core.Server;

/// <summary>
/// One client connection's HTTP/1.1 loop: read and parse a request head, route it, run the route's steps and handler,
/// write the response; repeat while the connection stays alive. Requests pipelined by the client are answered in
/// order. The heartbeat enforces the idle and head deadlines and the minimum body rate by cancelling the pending read. A
/// WebSocket handshake the upstream accepts turns the connection into a tunnel for the rest of its life. What serving a
/// request takes (<see cref="RequestMachinery"/>) is borrowed from the engine's pool when a request's first byte arrives
/// and given back when the connection waits for the next one: an idle connection holds no more than this object.
/// </summary>
public sealed class Http1Connection : IDisposable
{
    private const int Busy = 0;
    private const int Idle = 1;
    private const int ReadingHead = 2;
    private const int Tunnelling = 3;
    private static readonly byte[] StrictTransportSecurity = "Strict-Transport-Security"u8.ToArray();

    private readonly GatewayEngine _engine;
    private readonly HttpLimits _limits;
    private readonly IDuplexPipe _transport;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly ClientInfo _client;
    private readonly Action _abort;
    private readonly CancellationToken _clientClosed;
    private readonly Func<bool> _closingDown;
    private readonly RequestReporter _reporter;
    private RequestMachinery? _machinery;
    private WebSocketTunnel? _tunnel;
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
        _transport = transport;
        _input = transport.Input;
        _output = transport.Output;
        _client = client;
        _abort = abort;
        _clientClosed = clientClosed;
        _closingDown = () => ClosingDown;
        _reporter = engine.Reporter;
    }

    /// <summary>
    /// Serves requests until the client leaves, a deadline passes, an error closes the connection, or shutdown. Reads
    /// for the next head are awaited here, in the one state machine the connection keeps, so waiting for a request costs
    /// no allocation.
    /// </summary>
    public async Task RunAsync()
    {
        _engine.Heartbeat.Add(this);

        // Whether the request machinery still held when the loop ends was left clean (else it is disposed, not pooled).
        var reusable = false;
        try
        {
            BeginHead(_limits.RequestHeadersTimeout);
            while (!ClosingDown || Volatile.Read(ref _state) != Idle)
            {
                var read = await _input.ReadAsync().ConfigureAwait(false);
                if (_machinery is null && read.Buffer.IsEmpty)
                {
                    // No request has started: the client left, the idle deadline passed (both close silently), or a shutdown woke the wait.
                    _input.AdvanceTo(read.Buffer.End);
                    if (read.IsCompleted || (read.IsCanceled && _timedOut))
                    {
                        break;
                    }

                    continue;
                }

                var machinery = _machinery ?? Borrow();
                var step = ExamineHead(machinery, read, out var error);
                if (step == HeadStep.NeedMore)
                {
                    continue;
                }

                if (step != HeadStep.Complete)
                {
                    Volatile.Write(ref _state, Busy);
                    if (error is not null)
                    {
                        await RefuseHeadAsync(machinery, error).ConfigureAwait(false);
                    }

                    reusable = true;
                    break;
                }

                _reporter.Started();
                var context = machinery.Context;
                var outcome = RequestOutcome.Abort;
                try
                {
                    outcome = await HandleRequestAsync(machinery).ConfigureAwait(false);
                }
                finally
                {
                    context.Record.BytesIn += machinery.Body.BytesReceived;
                    _reporter.Completed(context.Record, machinery.Head);
                    context.EndResponse(outcome != RequestOutcome.Abort);
                }

                if (outcome == RequestOutcome.Abort)
                {
                    _abort();
                }

                if (outcome != RequestOutcome.KeepAlive || ClosingDown)
                {
                    if (outcome == RequestOutcome.Upgraded)
                    {
                        await RunTunnelAsync(machinery).ConfigureAwait(false);
                    }

                    // A tunnel's machinery is not given back to the pool: the tunnel took the connection over.
                    reusable = outcome != RequestOutcome.Upgraded;
                    break;
                }

                await machinery.Body.WaitIdleAsync().ConfigureAwait(false);
                GiveBack(reusable: true);
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
            if (_machinery is { } machinery)
            {
                await machinery.Body.WaitIdleAsync().ConfigureAwait(false);
                GiveBack(reusable);
            }
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
    /// Answers a whole connection that a cap refuses before anything is read: <paramref name="error"/> with
    /// <c>Connection: close</c> and a request id, counted and logged; the caller then closes the connection.
    /// </summary>
    public static async Task RefuseConnectionAsync(GatewayEngine engine, PipeWriter output, ClientInfo client, RequestError error)
    {
        var record = new RequestRecord { Http2 = client.Http2 };
        record.StartRefused(client.PeerAddress, 0);
        WriteRefusal(output, record, error);
        engine.Reporter.Refused(record, default, default);
        await output.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Called once a second: cancels the pending read when the idle or head deadline has passed, or, while a request is
    /// in progress, lets the body reader check the minimum body rate.
    /// </summary>
    internal void OnHeartbeat(long now)
    {
        var state = Volatile.Read(ref _state);
        if (state == Busy)
        {
            // Machinery given back meanwhile is not waiting for a body, and checks nothing.
            Volatile.Read(ref _machinery)?.Body.OnHeartbeat(now);
        }
        else if (state == Tunnelling)
        {
            _tunnel!.OnHeartbeat(now);
        }
        else if (now > Volatile.Read(ref _deadline))
        {
            _timedOut = true;
            _input.CancelPendingRead();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _machinery?.Dispose();

    /// <summary>Borrows the machinery a request needs, bound to this connection.</summary>
    private RequestMachinery Borrow()
    {
        var machinery = _engine.Machinery.Get();
        machinery.Bind(_transport, _client, _closingDown, _clientClosed);
        Volatile.Write(ref _machinery, machinery);
        return machinery;
    }

    /// <summary>Gives the machinery back: to the pool when the request left it clean (<paramref name="reusable"/>), else it is disposed.</summary>
    private void GiveBack(bool reusable)
    {
        var machinery = _machinery!;
        Volatile.Write(ref _machinery, null);
        machinery.Unbind();
        if (reusable)
        {
            _engine.Machinery.Return(machinery);
        }
        else
        {
            machinery.Dispose();
        }
    }

    private static void WriteRefusal(PipeWriter output, RequestRecord record, RequestError error)
    {
        record.Status = error.Status;
        record.BytesOut = ProblemResponse.WriteRefusal(output, error.Status, error.Detail, record.RequestId);
    }

    /// <summary>Answers a request head the front cannot accept (malformed, over a limit, too slow) and logs what its request line said.</summary>
    private async Task RefuseHeadAsync(RequestMachinery machinery, RequestError error)
    {
        var record = machinery.Context.Record;
        var head = machinery.Head;
        record.StartRefused(_client.PeerAddress, machinery.Parser.BytesSeen);
        WriteRefusal(_output, record, error);
        machinery.Parser.DescribeRefusedLine(head, out var method, out var protocol);
        _reporter.Refused(record, head.Buffer.AsSpan(method), head.Buffer.AsSpan(protocol));
        await _output.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the WebSocket tunnel the forwarder switched to until it ends; its idle timeout replaces the connection's deadlines,
    /// and a shutdown leaves it open until the drain deadline cuts the connection. A tunnel that was cut aborts the connection.
    /// </summary>
    private async Task RunTunnelAsync(RequestMachinery machinery)
    {
        _tunnel = machinery.Forwarder.Tunnel!;
        Volatile.Write(ref _state, Tunnelling);
        if (!await _tunnel.RunAsync().ConfigureAwait(false))
        {
            _abort();
        }
    }

    /// <summary>Waits for the next request head: the idle deadline runs until its first byte arrives.</summary>
    private void BeginHead(TimeSpan idleTimeout)
    {
        _timedOut = false;
        Volatile.Write(ref _deadline, _engine.Heartbeat.Clock.Now + (long)idleTimeout.TotalMilliseconds);
        Volatile.Write(ref _state, Idle);
    }

    /// <summary>
    /// Looks at what a read brought for the head: a complete head (consumed, the request starts), more needed, a
    /// rejection (<paramref name="error"/> to answer, or null to close silently after an idle timeout), or the end of input.
    /// </summary>
    private HeadStep ExamineHead(RequestMachinery machinery, in ReadResult read, out RequestError? error)
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
            Volatile.Write(ref _deadline, _engine.Heartbeat.Clock.Now + (long)_limits.RequestHeadersTimeout.TotalMilliseconds);
            Volatile.Write(ref _state, ReadingHead);
        }

        var status = machinery.Parser.TryReadHead(buffer, machinery.Head, out var headLength, out error);
        if (status == HeadStatus.Complete)
        {
            Volatile.Write(ref _state, Busy);
            _input.AdvanceTo(buffer.GetPosition(headLength));
            machinery.Context.Begin(machinery.Head, headLength);
            return HeadStep.Complete;
        }

        _input.AdvanceTo(buffer.Start, buffer.End);
        return status == HeadStatus.Error ? HeadStep.Reject
            : read.IsCompleted ? HeadStep.End
            : HeadStep.NeedMore;
    }

    /// <summary>
    /// Routes the request, then runs its steps and handler. Not itself async: a route without steps that forwards hands the
    /// forwarder's task straight back, so a request that waits on its upstream keeps one fewer state machine alive.
    /// </summary>
    private ValueTask<RequestOutcome> HandleRequestAsync(RequestMachinery machinery)
    {
        var head = machinery.Head;
        var context = machinery.Context;
        var responses = machinery.Responses;
        machinery.Body.Start(head);
        responses.Begin();
        if (head.AsteriskForm)
        {
            return AnswerServerOptionsAsync(head, context.Record);
        }

        var snapshot = _engine.Snapshot;
        if (_client.IsHttps && snapshot.Tls?.StrictTransportSecurity is { } hsts)
        {
            context.ResponseFields.Set(StrictTransportSecurity, hsts);
        }

        var routes = snapshot.Routes.For(_client.Listener, head.RouteHostBytes);
        var match = routes.Match(head.RouteHostBytes, head.MethodBytes, head.PathBytes, context.Parameters, out var entry, out var allow);
        if (head.IsPreflight)
        {
            match = MatchPreflight(routes, head, context, match, ref entry, ref allow);
        }

        if (match != RouteMatchStatus.Matched)
        {
            if (match == RouteMatchStatus.NotFound)
            {
                return responses.AnswerProblemAsync(404, "No route matches the request.");
            }

            context.ResponseFields.Added.Add("Allow"u8, allow!);
            return responses.AnswerProblemAsync(405, "The route does not accept this method.");
        }

        var route = entry!.Value;
        context.Routed(route);
        if (head.ContentLength > _limits.MaxRequestBodyBytes)
        {
            return responses.AnswerProblemAsync(RequestError.BodyTooLarge.Status, RequestError.BodyTooLarge.Detail);
        }

        return route.Steps.Length == 0 && route.Forward is { } forward
            ? machinery.Forwarder.ForwardAsync(forward)
            : RunPipelineAsync(machinery, route);
    }

    /// <summary>
    /// Routes a CORS preflight as the method it asks about when that finds a route whose CORS step answers preflights; any
    /// other route keeps the preflight's own OPTIONS match, so naming a method never opens a route to a method it refuses.
    /// </summary>
    private static RouteMatchStatus MatchPreflight(
        RouteTable<GatewayRoute> routes, RequestHead head, RequestContext context, RouteMatchStatus optionsMatch, ref RouteEntry<GatewayRoute>? entry, ref string? allow)
    {
        Span<Range> asked = stackalloc Range[RouteTemplate.MaxParameters];
        var askedMatch = routes.Match(head.RouteHostBytes, head.PreflightMethodBytes, head.PathBytes, asked, out var askedEntry, out var askedAllow);
        if (askedMatch != RouteMatchStatus.Matched || !askedEntry!.Value.AnswersPreflights)
        {
            return optionsMatch;
        }

        asked.CopyTo(context.Parameters);
        (entry, allow) = (askedEntry, askedAllow);
        return askedMatch;
    }

    /// <summary>Runs the route's steps in order; the first that answers ends the request, else the route's handler answers it.</summary>
    [AsyncMethodBuilder(typeof(SharedPoolValueTaskMethodBuilder<>))]
    private async ValueTask<RequestOutcome> RunPipelineAsync(RequestMachinery machinery, GatewayRoute route)
    {
        var context = machinery.Context;
        var responses = machinery.Responses;
        foreach (var step in route.Steps)
        {
            context.StepStarted();
            StepOutcome outcome;
            try
            {
                outcome = await step.OnRequestAsync(context).ConfigureAwait(false);
            }
            catch (Exception) when (!_clientClosed.IsCancellationRequested)
            {
                // A step that fails is a fault of the gateway's, not the client's: a 500, which the steps that ran still see.
                return await responses.AnswerProblemAsync(500, "A step of the route failed.").ConfigureAwait(false);
            }

            if (!outcome.Continues)
            {
                return await responses.AnswerAsync(outcome).ConfigureAwait(false);
            }
        }

        return route.Forward is { } forward
            ? await machinery.Forwarder.ForwardAsync(forward).ConfigureAwait(false)
            : await responses.HandleAsync(route.Handler!, _clientClosed).ConfigureAwait(false);
    }

    /// <summary>
    /// Answers <c>OPTIONS *</c> itself (RFC 9110 §9.3.7: it is about the server, not a resource, so no route or upstream
    /// applies): 200 with no content (RFC 9110 §9.3.7 asks for <c>Content-Length: 0</c>).
    /// </summary>
    private async ValueTask<RequestOutcome> AnswerServerOptionsAsync(RequestHead head, RequestRecord record)
    {
        var close = !head.KeepAlive || head.HasBody || ClosingDown;
        record.Status = 200;
        record.BytesOut += WriteServerOptions(_output, close, head.Version == HttpVersion.Http10, record.RequestId);
        await _output.FlushAsync().ConfigureAwait(false);
        return close ? RequestOutcome.Close : RequestOutcome.KeepAlive;
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
}
