using System.Buffers;
using System.IO.Pipelines;
using Gateway.Core.Http;
using Gateway.Core.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Core.Server;

/// <summary>One HTTP/2 request served by the HTTP/1.1 engine: re-encoded as HTTP/1.1 into an in-memory connection of its own, answered back as HTTP/2.</summary>
/// <remarks>
/// The request head goes through <see cref="HttpRequestParser"/> like any other, so every strictness and smuggling rule
/// applies unchanged; an <see cref="Http1Connection"/> routes it and runs its steps and handler against the same snapshot
/// and upstream pools; <see cref="Http1ResponseRelay"/> turns its answer into the HTTP/2 response.
/// </remarks>
public static class Http2Exchange
{
    private static readonly PipeOptions Options = new(useSynchronizationContext: false);

    /// <summary>Serves <paramref name="context"/>, a request Kestrel's HTTP/2 read, for <paramref name="client"/>; or answers it with <paramref name="refusal"/> when one is given.</summary>
    public static async Task RunAsync(GatewayEngine engine, HttpContext context, ClientInfo client, RequestError? refusal = null)
    {
        // The gateway's own body limit applies, as on HTTP/1.1.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = null;
        }

        var toGateway = new Pipe(Options);
        var fromGateway = new Pipe(Options);
        var framing = Http1RequestHead.FramingOf(context);
        Task run;
        if ((refusal ?? Http1RequestHead.Write(context, framing, toGateway.Writer)) is { } error)
        {
            run = RefuseAsync(engine, fromGateway.Writer, client, error);
            framing = BodyFraming.None;
        }
        else
        {
            await toGateway.Writer.FlushAsync().ConfigureAwait(false);
            run = ServeAsync(engine, new Connection(toGateway.Reader, fromGateway.Writer), client, context);
        }

        using var stop = new CancellationTokenSource();
        var send = framing == BodyFraming.None ? Task.CompletedTask : SendBodyAsync(context.Request.BodyReader, toGateway.Writer, framing, stop.Token);
        try
        {
            await Http1ResponseRelay.RelayAsync(fromGateway.Reader, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            // The client reset the stream: no one is left to answer.
        }
        finally
        {
            await fromGateway.Reader.CompleteAsync().ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await send.ConfigureAwait(false);
            await toGateway.Writer.CompleteAsync().ConfigureAwait(false);
            await run.ConfigureAwait(false);
        }
    }

    /// <summary>Runs the in-memory connection for the one request written into it; it closes after its answer (the head said so).</summary>
    private static async Task ServeAsync(GatewayEngine engine, Connection connection, ClientInfo client, HttpContext context)
    {
        try
        {
            using var http = new Http1Connection(engine, connection, client, context.Abort, context.RequestAborted);
            await http.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            await connection.Output.CompleteAsync().ConfigureAwait(false);
            await connection.Input.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Answers a request the HTTP/1.1 form cannot carry with <paramref name="error"/>, counted and logged as the front's refusals are.</summary>
    private static async Task RefuseAsync(GatewayEngine engine, PipeWriter output, ClientInfo client, RequestError error)
    {
        await Http1Connection.RefuseConnectionAsync(engine, output, client, error).ConfigureAwait(false);
        await output.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Copies the HTTP/2 request body into the connection, chunked when its length is unknown, until it ends, the connection stops reading, or <paramref name="stop"/>.</summary>
    private static async Task SendBodyAsync(PipeReader body, PipeWriter output, BodyFraming framing, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                var read = await body.ReadAsync(stop).ConfigureAwait(false);
                foreach (var segment in read.Buffer)
                {
                    if (framing == BodyFraming.Chunked)
                    {
                        Http1RequestHead.WriteChunk(output, segment.Span);
                    }
                    else
                    {
                        output.Write(segment.Span);
                    }
                }

                body.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted && framing == BodyFraming.Chunked)
                {
                    output.Write("0\r\n\r\n"u8);
                }

                var flush = await output.FlushAsync(stop).ConfigureAwait(false);
                if (read.IsCompleted || flush.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The stream was reset or the answer came first: the connection sees a body that ended early.
        }
    }

    /// <summary>The in-memory transport of one request: the HTTP/1.1 request in, the answer out.</summary>
    private sealed record Connection(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
