namespace Gateway.Core.Observability;

/// <summary>How the gateway's own messages on stderr are written (GATEWAY_LOG_FORMAT); the access log has its own format.</summary>
public enum GatewayLogFormat
{
    /// <summary>One line of text per message, as a person reads it.</summary>
    Text,

    /// <summary>One JSON object per line, for a log shipper.</summary>
    Json,
}
