namespace Gateway.Core.Http;

/// <summary>Limits and deadlines the HTTP/1.1 front enforces on clients.</summary>
public sealed record HttpLimits
{
    /// <summary>Longest request line (method, target, version); longer is 414.</summary>
    public int MaxRequestLineBytes { get; init; } = 8 * 1024;

    /// <summary>Largest total size of the header lines; larger is 431.</summary>
    public int MaxRequestHeadersBytes { get; init; } = 32 * 1024;

    /// <summary>Most header fields in one request; more is 431.</summary>
    public int MaxRequestHeaderCount { get; init; } = 100;

    /// <summary>Largest request body; larger is 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 30_000_000;

    /// <summary>Deadline for the whole request head from its first byte; past it, 408 and close.</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an idle keep-alive connection is kept open waiting for the next request.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(130);

    /// <summary>Slowest request body accepted, in bytes per second spent waiting for the client (0: no minimum); slower is 408.</summary>
    public long MinRequestBodyRate { get; init; } = 240;

    /// <summary>Time spent waiting for request body bytes before <see cref="MinRequestBodyRate"/> is enforced.</summary>
    public TimeSpan MinRequestBodyRateGrace { get; init; } = TimeSpan.FromSeconds(5);
}
