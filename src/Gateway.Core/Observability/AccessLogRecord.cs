using Gateway.Core.Http;

namespace Gateway.Core.Observability;

/// <summary>One answered request as the access log records it; it points into the connection's buffers and is formatted at once.</summary>
internal ref struct AccessLogRecord
{
    /// <summary>When the response ended.</summary>
    public DateTimeOffset Timestamp;

    /// <summary>The X-Request-Id returned to the client.</summary>
    public ReadOnlySpan<byte> RequestId;

    /// <summary>The W3C trace id.</summary>
    public ReadOnlySpan<byte> TraceId;

    /// <summary>The client's address.</summary>
    public string ClientAddress;

    /// <summary>The request method.</summary>
    public ReadOnlySpan<byte> Method;

    /// <summary>The path as the client sent it, query included.</summary>
    public ReadOnlySpan<byte> Target;

    /// <summary>The client's protocol version.</summary>
    public HttpVersion Version;

    /// <summary>The route id, or null when none matched.</summary>
    public string? Route;

    /// <summary>The status sent to the client.</summary>
    public int Status;

    /// <summary>The destination the request went to, or null.</summary>
    public string? Upstream;

    /// <summary>Milliseconds from the complete request head to the end of the response.</summary>
    public double DurationMilliseconds;

    /// <summary>Milliseconds the upstream took to answer with its head, or a negative number when there was no upstream exchange.</summary>
    public double UpstreamMilliseconds;

    /// <summary>Bytes received from the client for this request.</summary>
    public long BytesIn;

    /// <summary>Bytes sent to the client for this request.</summary>
    public long BytesOut;

    /// <summary>The authenticated consumer, or null (authentication comes later).</summary>
    public string? Consumer;
}
