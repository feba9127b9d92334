namespace Gateway.Core.Observability;

/// <summary>Why an upstream exchange failed, as counted in <c>gateway_upstream_errors_total</c>.</summary>
public enum UpstreamErrorKind
{
    /// <summary>No upstream error.</summary>
    None,

    /// <summary>The connection could not be made.</summary>
    Connect,

    /// <summary>The upstream was idle longer than the cluster timeout.</summary>
    Timeout,

    /// <summary>The upstream connection broke mid-exchange.</summary>
    Reset,

    /// <summary>The upstream broke HTTP/1.1: a malformed or ambiguously framed response head, or bad chunked framing.</summary>
    Protocol,
}

/// <summary>Label values of <see cref="UpstreamErrorKind"/>.</summary>
internal static class UpstreamErrorKinds
{
    /// <summary>The metric label for <paramref name="kind"/>.</summary>
    public static string Label(UpstreamErrorKind kind) => kind switch
    {
        UpstreamErrorKind.Connect => "connect",
        UpstreamErrorKind.Timeout => "timeout",
        UpstreamErrorKind.Reset => "reset",
        _ => "protocol",
    };
}
