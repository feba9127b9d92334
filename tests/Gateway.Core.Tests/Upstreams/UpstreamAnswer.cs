namespace Gateway.Core.Tests.Upstreams;

/// <summary>How a <see cref="LoopbackUpstream"/> treats the next connections.</summary>
internal enum UpstreamAnswer
{
    /// <summary>Reads the request head, answers 200 and closes.</summary>
    Ok,

    /// <summary>Reads the request head, answers 503 and closes.</summary>
    Unavailable,

    /// <summary>Reads the request head and closes without a word.</summary>
    Silent,

    /// <summary>Keeps the connection open, answering nothing, until the client closes it.</summary>
    Hold,
}
