namespace Gateway.Core.Upstreams;

/// <summary>What a request the gateway makes itself is sent to and within what bounds.</summary>
/// <param name="Cluster">The cluster that serves it.</param>
/// <param name="Retry">How failed tries are retried, or null for failover only.</param>
/// <param name="Timeout">The time the whole call may take.</param>
/// <param name="MaxBytes">The largest body accepted.</param>
/// <param name="Head">True for a HEAD request, whose answer has no body.</param>
/// <param name="Idempotent">True when the method is idempotent (RFC 9110 §9.2.2), so a reused connection lost under it may be tried once more on a new one.</param>
internal sealed record UpstreamCallSpec(Cluster Cluster, RetryPolicy? Retry, TimeSpan Timeout, int MaxBytes, bool Head, bool Idempotent);
