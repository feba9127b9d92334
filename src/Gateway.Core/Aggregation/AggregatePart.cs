using Gateway.Core.Upstreams;

namespace Gateway.Core.Aggregation;

/// <summary>One part of an aggregate compiled for serving: the upstream call it makes, when it may start, and what of its answer is kept.</summary>
/// <param name="Name">The part's name: its member in the answer, and how other parts name its fields.</param>
/// <param name="Cluster">The cluster it calls, through the same pools, balancing and health as forwarding.</param>
/// <param name="Method">The request method, as bytes (no body is sent).</param>
/// <param name="Target">The path and query template; its dependencies are the parts whose answers it waits for.</param>
/// <param name="Optional">True when the answer may go without it.</param>
/// <param name="Timeout">The longest its call may take.</param>
/// <param name="Fields">The members of its JSON object kept, or null to keep all of it.</param>
/// <param name="Headers">The request fields passed on, or null for the identity fields and Accept-Language.</param>
/// <param name="Retry">Its retries, or null (a connection that cannot be opened still fails over).</param>
/// <param name="MaxBytes">The largest answer it takes.</param>
internal sealed record AggregatePart(
    string Name, Cluster Cluster, byte[] Method, PartTemplate Target, bool Optional, TimeSpan Timeout, HashSet<string>? Fields, byte[][]? Headers, RetryPolicy? Retry, int MaxBytes);
