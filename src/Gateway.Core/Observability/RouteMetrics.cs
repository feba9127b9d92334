using Prometheus;

namespace Gateway.Core.Observability;

/// <summary>
/// One route's metric children, created on first use and kept, so recording a request does no label lookup
/// and allocates nothing: a counter per (method, status class) and the two latency histograms.
/// </summary>
public sealed class RouteMetrics
{
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "OTHER"];
    private static readonly string[] Classes = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    private readonly string _route;
    private readonly GatewayMetrics _metrics;
    private readonly Counter.Child?[] _requests = new Counter.Child?[Methods.Length * Classes.Length];
    private Histogram.Child? _duration;
    private Histogram.Child? _upstreamDuration;

    internal RouteMetrics(string route, GatewayMetrics metrics)
    {
        _route = route;
        _metrics = metrics;
    }

    /// <summary>Records one answered request.</summary>
    public void RequestCompleted(ReadOnlySpan<byte> method, int status, double seconds)
    {
        var methodIndex = MethodIndex(method);
        var classIndex = Math.Clamp((status / 100) - 1, 0, Classes.Length - 1);
        var slot = (methodIndex * Classes.Length) + classIndex;
        (_requests[slot] ??= _metrics.RequestsChild(_route, Methods[methodIndex], Classes[classIndex])).Inc();
        (_duration ??= _metrics.DurationChild(_route)).Observe(seconds);
    }

    /// <summary>Records the time an upstream took to answer with its response head.</summary>
    public void UpstreamResponded(double seconds) => (_upstreamDuration ??= _metrics.UpstreamDurationChild(_route)).Observe(seconds);

    private static int MethodIndex(ReadOnlySpan<byte> method) => method.Length switch
    {
        3 when method.SequenceEqual("GET"u8) => 0,
        4 when method.SequenceEqual("HEAD"u8) => 1,
        4 when method.SequenceEqual("POST"u8) => 2,
        3 when method.SequenceEqual("PUT"u8) => 3,
        6 when method.SequenceEqual("DELETE"u8) => 4,
        5 when method.SequenceEqual("PATCH"u8) => 5,
        7 when method.SequenceEqual("OPTIONS"u8) => 6,
        5 when method.SequenceEqual("TRACE"u8) => 7,
        _ => 8,
    };
}
