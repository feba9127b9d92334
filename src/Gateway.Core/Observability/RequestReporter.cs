using System.Diagnostics;
using Gateway.Core.Http;

namespace Gateway.Core.Observability;

/// <summary>Reports every finished request once: metrics, the access log line and the end of its span.</summary>
public sealed class RequestReporter(GatewayMetrics? metrics, AccessLog? accessLog)
{
    private const int ClientClosedRequest = 499;

    /// <summary>The metrics, when they are on.</summary>
    public GatewayMetrics? Metrics => metrics;

    /// <summary>A request head was parsed and its handling begins.</summary>
    public void Started() => metrics?.InFlight.Inc();

    /// <summary>The request described by <paramref name="record"/> and <paramref name="head"/> was answered (or abandoned).</summary>
    public void Completed(RequestRecord record, RequestHead head)
    {
        var elapsed = Stopwatch.GetElapsedTime(record.Started);
        if (record.Status == 0)
        {
            // Nothing was sent: the client left first. Logged the way nginx does, as 499.
            record.Status = ClientClosedRequest;
        }

        if (metrics is not null)
        {
            metrics.InFlight.Dec();
            var route = record.RouteMetrics ?? metrics.NoRoute;
            route.RequestCompleted(head.MethodBytes, record.Status, elapsed.TotalSeconds);
            if (record.UpstreamResponded != 0)
            {
                route.UpstreamResponded(Stopwatch.GetElapsedTime(record.UpstreamSent, record.UpstreamResponded).TotalSeconds);
            }

            metrics.BytesReceived.Inc(record.BytesIn);
            metrics.BytesSent.Inc(record.BytesOut);
        }

        if (record.Activity is { } activity)
        {
            activity.SetTag("http.route", record.RouteId);
            activity.SetTag("http.response.status_code", record.Status);
            activity.SetStatus(record.Status >= 500 ? ActivityStatusCode.Error : ActivityStatusCode.Unset);
            activity.Dispose();
        }

        if (accessLog is not null && accessLog.Sample())
        {
            accessLog.Write(Line(record, elapsed, head.MethodBytes, head.PathBytes, head.QueryBytes, ProtocolOf(record, head)));
        }
    }

    /// <summary>
    /// A request was refused before its head could be used (malformed, over a limit, too slow, over a connection cap):
    /// <paramref name="method"/> and <paramref name="protocol"/> are what the client sent of its request line, or empty.
    /// </summary>
    public void Refused(RequestRecord record, ReadOnlySpan<byte> method, ReadOnlySpan<byte> protocol)
    {
        if (metrics is not null)
        {
            metrics.NoRoute.RequestCompleted(method, record.Status, 0);
            metrics.BytesReceived.Inc(record.BytesIn);
            metrics.BytesSent.Inc(record.BytesOut);
        }

        if (accessLog is not null && accessLog.Sample())
        {
            accessLog.Write(Line(record, Stopwatch.GetElapsedTime(record.Started), method, default, default, record.Http2 ? "HTTP/2"u8 : protocol));
        }
    }

    /// <summary>The protocol the client spoke: HTTP/2 for a request that reached the engine in its HTTP/1.1 form, else its request line's.</summary>
    private static ReadOnlySpan<byte> ProtocolOf(RequestRecord record, RequestHead head) =>
        record.Http2 ? "HTTP/2"u8 : head.Version == HttpVersion.Http10 ? "HTTP/1.0"u8 : "HTTP/1.1"u8;

    private static AccessLogRecord Line(
        RequestRecord record, TimeSpan elapsed, ReadOnlySpan<byte> method, ReadOnlySpan<byte> path, ReadOnlySpan<byte> query, ReadOnlySpan<byte> protocol) => new()
    {
        Timestamp = DateTimeOffset.UtcNow,
        RequestId = record.RequestId,
        TraceId = record.Trace.TraceId,
        ClientAddress = record.ClientAddress,
        Consumer = record.Consumer,
        Method = method,
        Path = path,
        Query = query,
        Protocol = protocol,
        Route = record.RouteId,
        Status = record.Status,
        Upstream = record.Upstream,
        Tries = record.Tries,
        DurationMilliseconds = elapsed.TotalMilliseconds,
        UpstreamMilliseconds = record.UpstreamMilliseconds,
        BytesIn = record.BytesIn,
        BytesOut = record.BytesOut,
    };
}
