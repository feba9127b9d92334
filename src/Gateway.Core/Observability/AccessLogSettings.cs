namespace Gateway.Core.Observability;

/// <summary>Where and how the access log is written.</summary>
public sealed record AccessLogSettings
{
    /// <summary>"stdout", "off", or a file path (GATEWAY_ACCESS_LOG).</summary>
    public string Target { get; init; } = "stdout";

    /// <summary>Line format (GATEWAY_ACCESS_LOG_FORMAT).</summary>
    public AccessLogFormat Format { get; init; } = AccessLogFormat.Json;

    /// <summary>Fraction of requests logged, 0 to 1 (GATEWAY_ACCESS_LOG_SAMPLE).</summary>
    public double SampleRate { get; init; } = 1.0;

    /// <summary>Lines that may wait for the writer; beyond it lines are dropped and counted (GATEWAY_ACCESS_LOG_QUEUE).</summary>
    public int QueueCapacity { get; init; } = 16_384;

    /// <summary>True when the log is switched off.</summary>
    public bool IsOff => Target.Equals("off", StringComparison.OrdinalIgnoreCase) || SampleRate <= 0;
}

/// <summary>Access log line formats.</summary>
public enum AccessLogFormat
{
    /// <summary>One JSON object per line.</summary>
    Json,

    /// <summary>The common log format of web servers.</summary>
    Common,
}
