namespace Gateway.Core.Upstreams;

/// <summary>
/// A route's retries: how many tries in all, after which failures (connect, reset, timeout, statuses), how long each try's
/// response head may take, the backoff before each retry, and which requests qualify (idempotent ones, or those with an
/// <c>Idempotency-Key</c> when the route opts in, whose body is absent or small enough to keep).
/// </summary>
public sealed class RetryPolicy(
    int attempts, bool onConnect, bool onReset, bool onTimeout, int[] statuses, TimeSpan? perTryTimeout, TimeSpan backoff, bool idempotencyKey, int maxBodyBytes)
{
    /// <summary>The longest backoff, in multiples of the first.</summary>
    private const int MaxBackoffMultiple = 10;

    /// <summary>Tries in all, the first included.</summary>
    public int Attempts { get; } = attempts;

    /// <summary>Retry when a connection could not be opened.</summary>
    public bool OnConnect { get; } = onConnect;

    /// <summary>Retry when the connection failed before the response head.</summary>
    public bool OnReset { get; } = onReset;

    /// <summary>Retry when a try's response head took too long.</summary>
    public bool OnTimeout { get; } = onTimeout;

    /// <summary>How long a try's response head may take; null: the cluster's timeout.</summary>
    public TimeSpan? PerTryTimeout { get; } = perTryTimeout;

    /// <summary>Requests that carry <c>Idempotency-Key</c> qualify whatever their method.</summary>
    public bool IdempotencyKey { get; } = idempotencyKey;

    /// <summary>The largest request body kept to be sent again.</summary>
    public int MaxBodyBytes { get; } = maxBodyBytes;

    /// <summary>True when an upstream answer with <paramref name="status"/> is retried.</summary>
    public bool OnStatus(int status) => Array.IndexOf(statuses, status) >= 0;

    /// <summary>The wait before retry number <paramref name="retry"/> (1 for the first): random up to the backoff doubled each time, 10 times the backoff at most.</summary>
    public TimeSpan BackoffBefore(int retry)
    {
        var ceiling = backoff.TotalMilliseconds * Math.Min(1 << Math.Clamp(retry - 1, 0, 16), MaxBackoffMultiple);
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }
}
