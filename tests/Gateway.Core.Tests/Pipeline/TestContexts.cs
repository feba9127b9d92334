using System.Buffers;
using System.Text;
using Gateway.Core.Http;
using Gateway.Core.Pipeline;

namespace Gateway.Core.Tests.Pipeline;

/// <summary>Request contexts for step and handler tests: a real parsed head, a client, and a route that answers nothing.</summary>
internal static class TestContexts
{
    /// <summary>A context for <paramref name="rawHead"/> from <paramref name="client"/>, routed to a route <paramref name="routeId"/> with <paramref name="steps"/>.</summary>
    public static RequestContext For(string rawHead = "GET /r HTTP/1.1\r\nHost: a\r\n\r\n", string client = "10.0.0.1", string routeId = "r", params RouteStep[] steps)
    {
        var context = new RequestContext(new ClientInfo(client, "http"), []);
        context.Begin(Head(rawHead), rawHead.Length);
        context.Routed(new GatewayRoute(routeId, steps, NoAnswer.Instance, metrics: null));
        return context;
    }

    /// <summary>Parses <paramref name="raw"/>, which must be one complete request head.</summary>
    public static RequestHead Head(string raw)
    {
        var head = new RequestHead();
        var parser = new HttpRequestParser(new HttpLimits());
        parser.Reset();
        if (parser.TryReadHead(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(raw)), head, out _, out var error) != HeadStatus.Complete)
        {
            throw new ArgumentException($"not a complete head: {error?.Detail}", nameof(raw));
        }

        return head;
    }

    /// <summary>A handler for routes whose handler a test never runs.</summary>
    private sealed class NoAnswer : IRouteHandler
    {
        public static readonly NoAnswer Instance = new();

        public ValueTask HandleAsync(RequestContext context, IResponseSink response, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("This test route has no handler.");
    }
}
