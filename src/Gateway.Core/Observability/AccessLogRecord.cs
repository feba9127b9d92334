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

    /// <summary>The request method, or empty when the request was refused before one could be read.</summary>
    public ReadOnlySpan<byte> Method;

    /// <summary>The path as it was routed and forwarded (normalized), or empty when the request was refused before routing.</summary>
    public ReadOnlySpan<byte> Path;

    /// <summary>The query, with its '?', as the client sent it (empty when there is none).</summary>
    public ReadOnlySpan<byte> Query;

    /// <summary>The protocol the client named on its request line (e.g. <c>HTTP/1.1</c>), or empty when it could not be read.</summary>
    public ReadOnlySpan<byte> Protocol;

    /// <summary>The route id, or null when none matched.</summary>
    public string? Route;

    /// <summary>The status sent to the client.</summary>
    public int Status;

    /// <summary>The destination the request went to, or null.</summary>
    public string? Upstream;

    /// <summary>Tries the request took upstream (0 when it was not forwarded).</summary>
    public int Tries;

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
