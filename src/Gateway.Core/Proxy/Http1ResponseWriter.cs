using System.Buffers;
using System.IO.Pipelines;
using Gateway.Core.Http;
using Gateway.Core.Pipeline;

namespace Gateway.Core.Proxy;

/// <summary>
/// Writes the responses the gateway makes itself on one HTTP/1.1 connection: its problem answers (the forwarder's 502 and
/// 504 included), a step's answer, and a route handler's response, whole from memory or streamed. Each runs the request's
/// response phase first and goes through one head writer, so every one of them gets the request's field edits, no body for
/// HEAD, the gateway's own framing (never the producer's), and its body shown to the steps that watch it. The connection
/// stays open after it unless the client asked to close, the gateway is shutting down, or some of the request body is
/// unread. Serves one connection at a time (<see cref="Bind"/>), reset for every request.
/// </summary>
internal sealed class Http1ResponseWriter(RequestContext context, RequestBodyReader body) : IResponseSink
{
    private readonly GatewayResponse _problem = ProblemShape();
    private GatewayResponse? _grpcProblem;
    private PipeWriter _output = null!;
    private Func<bool> _closingDown = null!;
    private Progress _progress;
    private bool _close;
    private bool _chunked;
    private bool _relayedFromHttp2;
    private long _remaining;

    /// <summary>How far the current request's response has got.</summary>
    private enum Progress
    {
        None,
        Sent,
        Streaming,
    }

    private RequestHead Head => context.Head;

    /// <summary>Writes to <paramref name="output"/> from now on; <paramref name="closingDown"/> says when that connection must close after its answer.</summary>
    public void Bind(PipeWriter output, Func<bool> closingDown) => (_output, _closingDown) = (output, closingDown);

    /// <summary>Forgets the previous request's response.</summary>
    public void Begin()
    {
        _progress = Progress.None;
        _relayedFromHttp2 = false;
    }

    /// <summary>Answers with a problem response (fields for it go through the request's response edits).</summary>
    public async ValueTask<RequestOutcome> AnswerProblemAsync(int status, string detail)
    {
        await SendProblemAsync(status, detail).ConfigureAwait(false);
        return Outcome;
    }

    /// <summary>Answers with what a step decided.</summary>
    public async ValueTask<RequestOutcome> AnswerAsync(StepOutcome outcome)
    {
        await SendAsync(outcome.Response ?? Problem(outcome.Status, outcome.Detail!)).ConfigureAwait(false);
        return Outcome;
    }

    /// <summary>Lets <paramref name="handler"/> answer, then ends its response; a handler that fails or sends none gets the client a 500 (or a cut connection, once its response started).</summary>
    public async ValueTask<RequestOutcome> HandleAsync(IRouteHandler handler, CancellationToken clientClosed)
    {
        try
        {
            await handler.HandleAsync(context, this, clientClosed).ConfigureAwait(false);
        }
        catch (Exception) when (_progress == Progress.None && !clientClosed.IsCancellationRequested)
        {
            await SendProblemAsync(500, "The route's handler failed.").ConfigureAwait(false);
            return Outcome;
        }
        catch (Exception)
        {
            return RequestOutcome.Abort;
        }

        switch (_progress)
        {
            case Progress.None:
                await SendProblemAsync(500, "The route's handler sent no response.").ConfigureAwait(false);
                return Outcome;
            case Progress.Streaming when _chunked:
                _output.Write(ChunkedEncoder.LastChunk);
                context.Record.BytesOut += ChunkedEncoder.LastChunk.Length;
                break;
            case Progress.Streaming when _remaining > 0:
                return RequestOutcome.Abort;
        }

        await _output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        return Outcome;
    }

    /// <inheritdoc/>
    public ValueTask SendProblemAsync(int status, string detail) => SendAsync(Problem(status, detail));

    /// <inheritdoc/>
    public ValueTask SendAsync(GatewayResponse response)
    {
        Start(response.Status, response.Fields);
        WriteWhole(context.Replacement ?? response);
        return FlushAsync();
    }

    /// <summary>
    /// Writes, unflushed, the response a step's response phase put in place of the upstream's (whose head it saw); whether
    /// the connection closes after it is the forwarder's <paramref name="close"/>.
    /// </summary>
    public void WriteReplacement(bool close)
    {
        _progress = Progress.Sent;
        _chunked = false;
        _close = close;
        WriteWhole(context.Replacement!);
    }

    /// <summary>Writes a whole response's head and body (no body for HEAD, 204 and 304), showing the body to the steps that watch it.</summary>
    private void WriteWhole(GatewayResponse response)
    {
        var status = response.Status;
        var bytes = Head.AnswerHasNoBody(status) ? default : response.Body.Span;
        context.Record.BytesOut += WriteHead(status, response.Fields, status is 204 or 304 ? -1 : response.Body.Length);
        if (!bytes.IsEmpty)
        {
            _output.Write(bytes);
            context.Record.BytesOut += bytes.Length;
            if (context.ObservesBody)
            {
                context.OnResponseBody(bytes);
            }
        }
    }

    /// <summary>Starts streaming an answer relayed from an HTTP/2 upstream: as <see cref="StartStream"/>, with <c>Via</c> naming the hop.</summary>
    public void StartRelayedStream(int status, IFieldList fields, long length)
    {
        _relayedFromHttp2 = true;
        StartStream(status, fields, length);
    }

    /// <inheritdoc/>
    public void StartStream(int status, IFieldList fields, long length)
    {
        Start(status, fields);
        _progress = Progress.Streaming;
        var bodiless = Head.AnswerHasNoBody(status);
        _chunked = !bodiless && length < 0 && Head.Version != HttpVersion.Http10;
        _close |= !bodiless && length < 0 && !_chunked;
        _remaining = bodiless ? 0 : length;
        context.Record.BytesOut += WriteHead(status, fields, status is 204 or 304 ? -1 : length);
    }

    /// <inheritdoc/>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_progress != Progress.Streaming)
        {
            throw new InvalidOperationException("StartStream comes before the body.");
        }

        if (data.IsEmpty || Head.AnswerHasNoBody(context.Record.Status))
        {
            return;
        }

        if (_remaining >= 0 && data.Length > _remaining)
        {
            throw new InvalidOperationException("The handler wrote more than the length it declared.");
        }

        _remaining -= _remaining >= 0 ? data.Length : 0;
        var framing = _chunked ? ChunkedEncoder.WriteSizeLine(_output, data.Length) : 0;
        _output.Write(data.Span);
        if (_chunked)
        {
            _output.Write(ChunkedEncoder.ChunkEnd);
            framing += ChunkedEncoder.ChunkEnd.Length;
        }

        context.Record.BytesOut += data.Length + framing;
        if (context.ObservesBody)
        {
            context.OnResponseBody(data.Span);
        }

        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends a streamed response a forwarder relayed: the last chunk, with <paramref name="trailers"/> when the client accepts
    /// trailers (<c>TE: trailers</c>; otherwise they are dropped), then one flush. A body short of its declared length aborts.
    /// </summary>
    public async ValueTask<RequestOutcome> EndStreamAsync(IFieldList? trailers)
    {
        if (_chunked)
        {
            var head = new HeadWriter(_output);
            head.Write("0\r\n"u8);
            if (trailers is not null && Head.AcceptsTrailers)
            {
                for (var i = 0; i < trailers.Count; i++)
                {
                    head.Write(trailers.NameOf(i));
                    head.Write(": "u8);
                    head.Write(trailers.ValueOf(i));
                    head.Write("\r\n"u8);
                }
            }

            head.Write("\r\n"u8);
            head.Commit();
            context.Record.BytesOut += head.Total;
        }
        else if (_remaining > 0)
        {
            return RequestOutcome.Abort;
        }

        await _output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        return Outcome;
    }

    private RequestOutcome Outcome => _close ? RequestOutcome.Close : RequestOutcome.KeepAlive;

    /// <summary>A problem answer's shape: its own two fields, filled in per answer with the status and body.</summary>
    private static GatewayResponse ProblemShape()
    {
        var problem = new GatewayResponse();
        problem.Fields.Add("Content-Type"u8, "application/problem+json"u8);
        problem.Fields.Add("Cache-Control"u8, "no-store"u8);
        return problem;
    }

    private GatewayResponse Problem(int status, string detail)
    {
        if (GrpcRequest.Is(Head))
        {
            return GrpcProblem.Fill(_grpcProblem ??= new GatewayResponse(), status, detail);
        }

        _problem.Status = status;
        _problem.Body = ProblemResponse.Body(status, detail);
        return _problem;
    }

    /// <summary>Begins the one response of the request: decides whether the connection closes after it and runs the response phase.</summary>
    private void Start(int status, IFieldList fields)
    {
        if (_progress != Progress.None)
        {
            throw new InvalidOperationException("A request gets one response.");
        }

        _progress = Progress.Sent;
        _chunked = false;

        // Unless the whole request body was read (steps and handlers never read it), the next request's start is unknown.
        _close = !Head.KeepAlive || !body.IsComplete || _closingDown();
        context.Record.Status = status;
        context.BeforeResponse(status, fields);
    }

    /// <summary>
    /// Writes the head of a whole or streamed response; <paramref name="length"/> is -1 when the body's length is unknown (or
    /// for 204 and 304). Of the producer's own fields, those the request's edits remove and those the gateway writes itself
    /// (framing, hop-by-hop, Via, X-Request-Id, Date) are left out.
    /// </summary>
    private long WriteHead(int status, IFieldList fields, long length)
    {
        var head = new HeadWriter(_output);
        head.Write(StatusLines.For(status));
        head.Write(DateHeader.Line);
        var edits = context.ResponseFields;
        for (var i = 0; i < fields.Count; i++)
        {
            var name = fields.NameOf(i);
            if (HeaderRules.RelaysInResponse(HeaderRules.Identify(name)) && !HttpSyntax.EqualsIgnoreCase(name, "Date"u8)
                && (!edits.HasRemovals || !edits.Removes(name)))
            {
                head.Write(name);
                head.Write(": "u8);
                head.Write(fields.ValueOf(i));
                head.Write("\r\n"u8);
            }
        }

        head.Write(edits.Added.Lines);
        if (_relayedFromHttp2)
        {
            WriteVia(ref head, fields);
        }

        if (length >= 0)
        {
            head.Write("Content-Length: "u8);
            head.WriteDecimal(length);
            head.Write("\r\n"u8);
        }
        else if (_chunked)
        {
            head.Write("Transfer-Encoding: chunked\r\n"u8);
        }

        head.Write("X-Request-Id: "u8);
        head.Write(context.Record.RequestId);
        head.Write(_close ? "\r\nConnection: close\r\n\r\n"u8 : Head.Version == HttpVersion.Http10 ? "\r\nConnection: keep-alive\r\n\r\n"u8 : "\r\n\r\n"u8);
        head.Commit();
        return head.Total;
    }

    /// <summary>Writes <c>Via</c>: the upstream's own entries, then this hop's (received in HTTP/2).</summary>
    private static void WriteVia(ref HeadWriter head, IFieldList fields)
    {
        var upstreamVia = false;
        for (var i = 0; i < fields.Count; i++)
        {
            if (HeaderRules.Identify(fields.NameOf(i)) == KnownHeader.Via && !fields.ValueOf(i).IsEmpty)
            {
                head.Write(upstreamVia ? ", "u8 : "Via: "u8);
                head.Write(fields.ValueOf(i));
                upstreamVia = true;
            }
        }

        head.Write(upstreamVia ? ", 2 gateway\r\n"u8 : "Via: 2 gateway\r\n"u8);
    }

    private async ValueTask FlushAsync()
    {
        if (_progress != Progress.Streaming)
        {
            await _output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
