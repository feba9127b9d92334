namespace Gateway.Core.Upstreams;

/// <summary>A request refused by a cluster's circuit breaker: too many requests in flight, or waiting for a connection.</summary>
public sealed class ClusterOverloadedException(string message) : Exception(message);
