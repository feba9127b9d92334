using System.Net;
using System.Security.Claims;
using Gateway.Core.Http;
using Gateway.Core.Observability;
using Gateway.Core.Routing;

namespace Gateway.Core.Pipeline;

/// <summary>
/// One request as the route's steps and handler see it, whatever protocol brought it: the head, the matched route and its
/// parameters, the real client address, who the caller is, the edits toward the upstream and on the response, and the
/// request's record for logs and metrics. Serves one connection at a time (<see cref="Bind"/>), reset for every request.
/// </summary>
public sealed class RequestContext(ClientInfo client, IReadOnlyList<IPNetwork> trustedProxies)
{
    private readonly List<IResponseBodyObserver> _observers = [];
    private int _stepsRun;

    /// <summary>The client connection the request came on.</summary>
    public ClientInfo Client { get; private set; } = client;

    /// <summary>The parsed request head (its path normalized).</summary>
    public RequestHead Head { get; private set; } = null!;

    /// <summary>What happened to the request, for metrics, the access log and tracing.</summary>
    public RequestRecord Record { get; } = new() { Http2 = client.Http2 };

    /// <summary>The matched route, or null before routing (or when none matched).</summary>
    public GatewayRoute? Route { get; private set; }

    /// <summary>Where the route's path parameters sit in <see cref="RequestHead.PathBytes"/>, in template order.</summary>
    public Range[] Parameters { get; } = new Range[RouteTemplate.MaxParameters];

    /// <summary>
    /// The real client's address: the socket peer's, or, behind a trusted proxy, the first address from the right of
    /// X-Forwarded-For that is not a trusted proxy. Rate limits, logs and IP filtering use it.
    /// </summary>
    public string ClientAddress => Record.ClientAddress;

    /// <summary>The authenticated consumer's name, or null; set by authentication, logged with the request.</summary>
    public string? Consumer
    {
        get => Record.Consumer;
        set => Record.Consumer = value;
    }

    /// <summary>The caller's validated claims, or null; set by authentication.</summary>
    public ClaimsIdentity? Claims { get; set; }

    /// <summary>Edits to the fields the upstream gets (the client's fields left out, fields added).</summary>
    public FieldEdits UpstreamFields { get; } = new();

    /// <summary>Edits to the fields the client gets (the response's own fields left out, fields added), on every response.</summary>
    public FieldEdits ResponseFields { get; } = new();

    /// <summary>A reusable whole response for handlers that answer from memory.</summary>
    public GatewayResponse Response { get; } = new();

    /// <summary>
    /// What a step keeps about the request between its request and response phases (the cache, the entry it is filling or
    /// revalidating), or null; forgotten with the request.
    /// </summary>
    public object? StepState { get; set; }

    /// <summary>The response a step's response phase put in place of the one being sent (a stored one), or null.</summary>
    public GatewayResponse? Replacement { get; private set; }

    /// <summary>True when a step is watching the response body go by.</summary>
    public bool ObservesBody => _observers.Count > 0;

    /// <summary>The value of path parameter <paramref name="index"/> as it arrived (still percent-encoded).</summary>
    public ReadOnlySpan<byte> Parameter(int index) => Head.PathBytes[Parameters[index]];

    /// <summary>Serves the requests of the connection <paramref name="client"/> describes from now on.</summary>
    public void Bind(ClientInfo client)
    {
        Client = client;
        Record.Http2 = client.Http2;
    }

    /// <summary>Starts a new request whose head (<paramref name="headLength"/> bytes) was just parsed.</summary>
    public void Begin(RequestHead head, int headLength)
    {
        Head = head;
        Route = null;
        Claims = null;
        StepState = null;
        Replacement = null;
        _stepsRun = 0;
        _observers.Clear();
        UpstreamFields.Clear();
        ResponseFields.Clear();
        Record.Start(head, headLength);
        Record.ClientAddress = Client.TrustedProxy
            ? Pipeline.ClientAddress.Resolve(head, Client.PeerAddress, trustedProxies)
            : Client.PeerAddress;
    }

    /// <summary>Records the route the request matched.</summary>
    public void Routed(GatewayRoute route)
    {
        Route = route;
        Record.RouteId = route.Id;
        Record.RouteMetrics = route.Metrics;
    }

    /// <summary>Counts the route's next step as run: it gets its response phase.</summary>
    public void StepStarted() => _stepsRun++;

    /// <summary>
    /// Runs the response phase of every step that ran, last first, just before a response head with <paramref name="status"/>
    /// and the response's own <paramref name="fields"/> is written.
    /// </summary>
    public void BeforeResponse(int status, IFieldList fields)
    {
        for (var i = _stepsRun - 1; i >= 0; i--)
        {
            try
            {
                if (Route!.Steps[i].OnResponse(this, status, fields) is { } observer)
                {
                    _observers.Add(observer);
                }
            }
            catch (Exception)
            {
                // A step whose response phase fails leaves the response as the others make it: the client still gets one.
            }
        }
    }

    /// <summary>
    /// Watches the request's response from the request phase on: <paramref name="observer"/> sees the body of whatever
    /// response is sent and is told its end, even when none could be sent.
    /// </summary>
    public void Watch(IResponseBodyObserver observer) => _observers.Add(observer);

    /// <summary>
    /// From a response phase: sends <paramref name="response"/>, whole from memory, in place of the response whose head was
    /// about to be written (the upstream's is dropped). The steps' response edits still apply to it.
    /// </summary>
    public void ReplaceResponse(GatewayResponse response)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(response.Status, 200);
        Replacement = response;
        Record.Status = response.Status;
    }

    /// <summary>Shows the next piece of the response body to the steps watching it; one that fails stops watching.</summary>
    public void OnResponseBody(ReadOnlySpan<byte> data)
    {
        for (var i = _observers.Count - 1; i >= 0; i--)
        {
            try
            {
                _observers[i].OnBody(data);
            }
            catch (Exception)
            {
                _observers.RemoveAt(i);
            }
        }
    }

    /// <summary>Tells the steps watching the body that the response ended, whole or not.</summary>
    public void EndResponse(bool complete)
    {
        foreach (var observer in _observers)
        {
            try
            {
                observer.OnEnd(complete);
            }
            catch (Exception)
            {
                // Nothing depends on an observer's end.
            }
        }

        _observers.Clear();
    }
}
