using System.IO.Pipelines;
using Gateway.Core.Configuration;
using Gateway.Core.Http;
using Gateway.Core.Observability;
using Gateway.Core.Pipeline;
using Gateway.Core.Proxy;
using Microsoft.Extensions.ObjectPool;

namespace Gateway.Core.Server;

/// <summary>
/// What an HTTP/1.1 connection needs only while it serves a request: the head and its parser, the request's context and
/// record, the body reader, the response writer, the forwarder and its upstream deadline. Rented from the engine's pool
/// (<see cref="Pool"/>) when a request's first byte arrives and returned when the connection waits for the next one, so an
/// idle keep-alive connection holds none of it. Bound to one connection at a time.
/// </summary>
internal sealed class RequestMachinery : IDisposable
{
    /// <summary>Machinery kept for reuse at most: enough for the busy connections of a loaded gateway, about 2 KB each.</summary>
    private const int MaxPooled = 1024;

    private RequestMachinery(GatewaySettings settings, GatewayMetrics? metrics)
    {
        Parser = new HttpRequestParser(settings.Limits);
        var clock = new MillisecondClock(settings.Clock);
        Body = new RequestBodyReader(settings.Limits, clock);
        Context = new RequestContext(new ClientInfo("", "http"), settings.TrustedProxies);
        Responses = new Http1ResponseWriter(Context, Body);
        Forwarder = new Forwarder(Body, Deadline, Context, Responses, metrics, settings.WebSocketIdleTimeout, clock);
    }

    /// <summary>The request head being read or served (its buffers rented by the first head, kept until disposed).</summary>
    public RequestHead Head { get; } = new();

    /// <summary>Reads the request head.</summary>
    public HttpRequestParser Parser { get; }

    /// <summary>Streams the request body.</summary>
    public RequestBodyReader Body { get; }

    /// <summary>The cancellation of the upstream exchanges.</summary>
    public UpstreamDeadline Deadline { get; } = new();

    /// <summary>The request as steps and handlers see it.</summary>
    public RequestContext Context { get; }

    /// <summary>Writes the gateway's own answers.</summary>
    public Http1ResponseWriter Responses { get; }

    /// <summary>Forwards to HTTP/1.1 and HTTP/2 clusters.</summary>
    public Forwarder Forwarder { get; }

    /// <summary>A pool of machinery for connections served with <paramref name="settings"/>; machinery returned when it is full is disposed.</summary>
    public static ObjectPool<RequestMachinery> Pool(GatewaySettings settings, GatewayMetrics? metrics) =>
        new DefaultObjectPoolProvider { MaximumRetained = MaxPooled }.Create(new Policy(settings, metrics));

    /// <summary>Serves the connection of <paramref name="transport"/> from now on, until <see cref="Unbind"/>.</summary>
    public void Bind(IDuplexPipe transport, ClientInfo client, Func<bool> closingDown, CancellationToken clientClosed)
    {
        Parser.Reset();
        Context.Bind(client);
        Body.Bind(transport.Input, transport.Output);
        Deadline.Bind(clientClosed);
        Responses.Bind(transport.Output, closingDown);
        Forwarder.Bind(transport.Input, transport.Output, closingDown);
    }

    /// <summary>Lets go of the connection: its close no longer reaches the deadline. The head keeps its buffers for the next request served.</summary>
    public void Unbind()
    {
        Deadline.Unbind();
        Head.Reset();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Deadline.Dispose();
        Forwarder.Dispose();
        Head.Dispose();
    }

    /// <summary>Makes machinery for the engine's connections; takes back whatever is returned (only machinery left clean is).</summary>
    private sealed class Policy(GatewaySettings settings, GatewayMetrics? metrics) : PooledObjectPolicy<RequestMachinery>
    {
        public override RequestMachinery Create() => new(settings, metrics);

        public override bool Return(RequestMachinery obj) => true;
    }
}
