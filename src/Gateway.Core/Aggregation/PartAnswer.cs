namespace Gateway.Core.Aggregation;

/// <summary>What one part's call brought: a JSON body from a 2xx answer, or the failure (a status for the <c>errors</c> member and a detail).</summary>
/// <param name="Status">The upstream's status; for failures without one, 502 (unreachable or refused), 504 (timed out) or 424 (a part it depends on failed).</param>
/// <param name="Body">The JSON body when the part succeeded, else empty.</param>
/// <param name="Problem">Why the part failed, or null when it succeeded.</param>
internal sealed record PartAnswer(int Status, ReadOnlyMemory<byte> Body, string? Problem)
{
    /// <summary>True when the part answered 2xx with JSON within its size.</summary>
    public bool Succeeded => Problem is null;

    /// <summary>A failed part.</summary>
    public static PartAnswer Failed(int status, string problem) => new(status, default, problem);
}
