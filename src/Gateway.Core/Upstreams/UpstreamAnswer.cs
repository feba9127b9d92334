using Gateway.Core.Http;

namespace Gateway.Core.Upstreams;

/// <summary>What a request the gateway made itself brought: the upstream's status, fields and whole body, or why there is none.</summary>
/// <param name="Status">The upstream's status; for failures without one, 502 (unreachable or refused), 503 (the cluster's caps) or 504 (timed out).</param>
/// <param name="Fields">The answer's fields (hop-by-hop ones left out), or null for a failure.</param>
/// <param name="Body">The body, empty for a failure.</param>
/// <param name="Problem">Why there is no answer, or null.</param>
internal sealed record UpstreamAnswer(int Status, FieldList? Fields, ReadOnlyMemory<byte> Body, string? Problem)
{
    /// <summary>True when the upstream answered, whatever its status.</summary>
    public bool Succeeded => Problem is null;

    /// <summary>A call that got no answer.</summary>
    public static UpstreamAnswer Failed(int status, string problem) => new(status, null, default, problem);
}
