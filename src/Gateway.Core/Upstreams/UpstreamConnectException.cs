namespace Gateway.Core.Upstreams;

/// <summary>A connection to a destination could not be opened (refused, unreachable, TLS failure, or the connect timeout passed).</summary>
public sealed class UpstreamConnectException : IOException
{
    /// <summary>Creates the exception with a message naming the destination.</summary>
    public UpstreamConnectException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message naming the destination and the underlying failure.</summary>
    public UpstreamConnectException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
