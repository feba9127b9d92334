namespace Gateway.Core.Upstreams;

/// <summary>The upstream closed the connection before a complete response head arrived.</summary>
public sealed class UpstreamClosedException : IOException
{
    /// <summary>Creates the exception; <paramref name="beforeAnyByte"/> when not one byte of a response had arrived.</summary>
    public UpstreamClosedException(bool beforeAnyByte)
        : base(beforeAnyByte ? "The upstream closed the connection without answering." : "The upstream closed the connection in the middle of the response head.") =>
        BeforeAnyByte = beforeAnyByte;

    /// <summary>True when the upstream sent nothing at all (so it cannot have started acting on the request's answer).</summary>
    public bool BeforeAnyByte { get; }
}
