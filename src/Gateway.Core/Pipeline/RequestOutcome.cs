namespace Gateway.Core.Pipeline;

/// <summary>How a request's exchange ended, which tells the connection whether it can carry another request.</summary>
public enum RequestOutcome
{
    /// <summary>The response was sent in full and the connection may be reused.</summary>
    KeepAlive,

    /// <summary>A complete response was sent, but the connection must close.</summary>
    Close,

    /// <summary>The response could not be completed; the connection must be aborted so the client sees the failure.</summary>
    Abort,

    /// <summary>The upstream switched protocols (a WebSocket): the connection is now a tunnel, which the front runs until it ends.</summary>
    Upgraded,
}
