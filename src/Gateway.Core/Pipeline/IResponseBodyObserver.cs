namespace Gateway.Core.Pipeline;

/// <summary>Sees one response's body as it passes to the client (a cache filling an entry, say), without holding it up.</summary>
public interface IResponseBodyObserver
{
    /// <summary>The next piece of the body, as the client gets it (unframed).</summary>
    void OnBody(ReadOnlySpan<byte> data);

    /// <summary>The response ended: <paramref name="complete"/> when the whole body reached the client.</summary>
    void OnEnd(bool complete);
}
