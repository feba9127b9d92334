namespace Gateway.Core.Configuration;

/// <summary>
/// A route's retries: only of idempotent requests (or those carrying <c>Idempotency-Key</c>, when the route opts in), whose
/// body was absent or small enough to keep, on the listed failures, each try to another destination when there is one.
/// </summary>
public sealed record RetryConfig
{
    /// <summary>Tries in all, the first included (2 or more).</summary>
    public int Attempts { get; set; } = 2;

    /// <summary>What a retry follows: <c>connect</c>, <c>reset</c>, <c>timeout</c> (the per-try timeout), or an upstream status such as <c>503</c>.</summary>
    public List<string> On { get; set; } = ["connect", "reset", "timeout", "502", "503", "504"];

    /// <summary>The longest one try may wait for its response head; null leaves it to the cluster's timeout.</summary>
    public string? PerTryTimeout { get; set; }

    /// <summary>The first retry's delay; each next one doubles it (with jitter).</summary>
    public string Backoff { get; set; } = "25ms";

    /// <summary>Also retry non-idempotent requests that carry <c>Idempotency-Key</c>.</summary>
    public bool IdempotencyKey { get; set; }

    /// <summary>The largest request body kept for a retry; a larger one is sent once.</summary>
    public int MaxBodyBytes { get; set; } = 65536;
}
