using System.Buffers;
using System.Diagnostics;
using Gateway.Core.Http;

namespace Gateway.Core.Observability;

/// <summary>
/// What happened to one request while it was served: ids, timings, route, upstream, status and bytes — the facts
/// that metrics, the access log and tracing report. One per connection, started afresh for every request.
/// </summary>
public sealed class RequestRecord
{
    private const int MaxRequestIdLength = 128;
    private static readonly SearchValues<byte> RequestIdChars =
        SearchValues.Create("-._:0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    private readonly byte[] _requestId = new byte[MaxRequestIdLength];
    private int _requestIdLength;

    /// <summary>The request's trace context.</summary>
    public TraceContext Trace { get; } = new();

    /// <summary>The X-Request-Id: the client's when it sent a valid one, else the trace id.</summary>
    public ReadOnlySpan<byte> RequestId => _requestId.AsSpan(0, _requestIdLength);

    /// <summary>Stopwatch timestamp of the complete request head.</summary>
    public long Started { get; private set; }

    /// <summary>True when the client sent the request over HTTP/2 (it reached the engine in its HTTP/1.1 form): the log names HTTP/2.</summary>
    public bool Http2 { get; set; }

    /// <summary>The real client's address (behind trusted proxies, from X-Forwarded-For).</summary>
    public string ClientAddress { get; set; } = "";

    /// <summary>The authenticated consumer, or null.</summary>
    public string? Consumer { get; set; }

    /// <summary>The matched route's id, or null.</summary>
    public string? RouteId { get; set; }

    /// <summary>The matched route's metrics, or null.</summary>
    public RouteMetrics? RouteMetrics { get; set; }

    /// <summary>The destination address the request went to, or null.</summary>
    public string? Upstream { get; set; }

    /// <summary>Stopwatch timestamps of sending upstream and of the upstream's response head (0 when not reached).</summary>
    public long UpstreamSent { get; set; }

    /// <summary>Tries the request took upstream, the first included (0 when it was not forwarded).</summary>
    public int Tries { get; set; }

    /// <inheritdoc cref="UpstreamSent"/>
    public long UpstreamResponded { get; set; }

    /// <summary>The status sent to the client (0 until one was sent).</summary>
    public int Status { get; set; }

    /// <summary>Bytes received from the client for this request.</summary>
    public long BytesIn { get; set; }

    /// <summary>Bytes sent to the client for this request.</summary>
    public long BytesOut { get; set; }

    /// <summary>The exporter's span while tracing export is on, else null.</summary>
    public Activity? Activity { get; set; }

    /// <summary>Starts the record of a request whose head was just parsed.</summary>
    public void Start(RequestHead head, int headLength)
    {
        Trace.Start(head.TraceParentBytes);
        Activity = GatewayTracing.StartServerSpan(Trace, head);
        var clientId = head.RequestIdIndex < 0 ? default : head.ValueOf(head.RequestIdIndex);
        var useClientId = clientId.Length is > 0 and <= MaxRequestIdLength && !clientId.ContainsAnyExcept(RequestIdChars);
        Reset(useClientId ? clientId : Trace.TraceId, headLength);
    }

    /// <summary>Starts the record of a request refused before its head could be used (malformed, over a limit, too slow, over a connection cap).</summary>
    public void StartRefused(string clientAddress, long bytesIn)
    {
        Trace.Start(default);
        Activity = null;
        Reset(Trace.TraceId, bytesIn);
        ClientAddress = clientAddress;
    }

    private void Reset(ReadOnlySpan<byte> requestId, long bytesIn)
    {
        Started = Stopwatch.GetTimestamp();
        requestId.CopyTo(_requestId);
        _requestIdLength = requestId.Length;
        Consumer = null;
        RouteId = null;
        RouteMetrics = null;
        Upstream = null;
        UpstreamSent = UpstreamResponded = 0;
        Tries = 0;
        Status = 0;
        BytesIn = bytesIn;
        BytesOut = 0;
    }

    /// <summary>Milliseconds from sending upstream to the upstream's response head, or -1 when there was none.</summary>
    public double UpstreamMilliseconds => UpstreamResponded == 0 ? -1 : Stopwatch.GetElapsedTime(UpstreamSent, UpstreamResponded).TotalMilliseconds;
}
