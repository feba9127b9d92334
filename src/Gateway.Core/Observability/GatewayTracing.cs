using System.Diagnostics;
using System.Text;
using Gateway.Core.Http;

namespace Gateway.Core.Observability;

/// <summary>
/// The gateway's spans for an exporter (OTLP when GATEWAY_OTLP_ENDPOINT is set). With no listener on
/// <see cref="Source"/>, nothing is created and a request pays one check.
/// </summary>
public static class GatewayTracing
{
    /// <summary>The source the host's tracer provider listens to.</summary>
    public static readonly ActivitySource Source = new("Gateway");

    /// <summary>Starts the server span of a request whose trace context is <paramref name="trace"/>, or returns null when no one listens.</summary>
    internal static Activity? StartServerSpan(TraceContext trace, RequestHead head)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var parent = trace.HasParent
            ? new ActivityContext(
                ActivityTraceId.CreateFromUtf8String(trace.TraceId),
                ActivitySpanId.CreateFromUtf8String(trace.ParentId),
                trace.Sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None,
                isRemote: true)
            : default;
        var method = Encoding.ASCII.GetString(head.MethodBytes);
        var activity = Source.StartActivity(method, ActivityKind.Server, parent);
        if (activity is null)
        {
            return null;
        }

        trace.UseIds(activity.TraceId.ToHexString(), activity.SpanId.ToHexString());
        activity.SetTag("http.request.method", method);
        activity.SetTag("url.path", Encoding.ASCII.GetString(head.PathBytes));
        activity.SetTag("server.address", Encoding.ASCII.GetString(head.RouteHostBytes));
        return activity;
    }
}
