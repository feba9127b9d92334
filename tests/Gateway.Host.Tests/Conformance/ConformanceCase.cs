namespace Gateway.Host.Tests.Conformance;

/// <summary>What the gateway does with the client connection once the case's responses are written.</summary>
internal enum After
{
    /// <summary>It stays open: a probe request sent next on the same connection is answered.</summary>
    Open,

    /// <summary>The gateway closes it (after a <c>Connection: close</c> response, or with no response at all).</summary>
    Close,
}

/// <summary>How a forwarded request's body is framed on the upstream wire.</summary>
internal enum Framing
{
    /// <summary>Neither Content-Length nor Transfer-Encoding.</summary>
    None,

    /// <summary>One canonical <c>Content-Length</c> (plain decimal, no leading zeros) equal to the body's length.</summary>
    Length,

    /// <summary><c>Transfer-Encoding: chunked</c>, re-framed by the gateway: no extensions, no trailer fields.</summary>
    Chunked,
}

/// <summary>What reached the upstream for one run of a case.</summary>
internal enum UpstreamKind
{
    /// <summary>No request; when the connection closes, not a single byte.</summary>
    Nothing,

    /// <summary>
    /// No complete request: the client's body failed after the gateway had begun streaming it, so a head and part of
    /// the body may have gone out, but the upstream request was aborted before its end (never a last-chunk).
    /// </summary>
    Aborted,

    /// <summary>Exactly the listed requests, in order.</summary>
    Forwarded,
}

/// <summary>A body as the upstream must see it: its framing and its exact bytes once de-framed (Latin-1 text).</summary>
internal sealed record UpstreamBody(Framing Framing, string Data);

/// <summary>
/// One request as the upstream must see it: the request line without its version (always HTTP/1.1 upstream), the body,
/// and field checks: "Name: value" means exactly one such field with that value, "-Name" means no such field.
/// </summary>
internal sealed record UpstreamRequest(string RequestLine, UpstreamBody Body, IReadOnlyList<string> Fields);

/// <summary>The upstream's view of a case.</summary>
internal sealed record UpstreamView(UpstreamKind Kind, IReadOnlyList<UpstreamRequest> Requests);

/// <summary>
/// One row of the conformance table: the raw request bytes (one char per byte), the statuses the client reads in order
/// (an expected 100 Continue must not come when the input is sent whole, since the body came with the head, and is read
/// only when one came when it is split), whether the connection stays open, and what the upstream receives. With
/// <see cref="EndOfInput"/> the client half-closes its side after the bytes (for inputs that stop short).
/// </summary>
internal sealed record ConformanceCase(string Name, string Raw, int[] Statuses, After After, UpstreamView Upstream, bool EndOfInput)
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}
