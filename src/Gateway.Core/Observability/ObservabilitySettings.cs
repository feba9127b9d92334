namespace Gateway.Core.Observability;

/// <summary>What the gateway reports about the traffic it serves.</summary>
public sealed record ObservabilitySettings
{
    /// <summary>Prometheus metrics on the admin /metrics (GATEWAY_METRICS).</summary>
    public bool Metrics { get; init; } = true;

    /// <summary>How the gateway's own messages on stderr are written (GATEWAY_LOG_FORMAT).</summary>
    public GatewayLogFormat LogFormat { get; init; } = GatewayLogFormat.Text;

    /// <summary>The access log (GATEWAY_ACCESS_LOG*).</summary>
    public AccessLogSettings AccessLog { get; init; } = new();

    /// <summary>OTLP/HTTP endpoint that receives spans (GATEWAY_OTLP_ENDPOINT); null keeps tracing export off.</summary>
    public Uri? OtlpEndpoint { get; init; }
}
