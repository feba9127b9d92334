namespace Gateway.Host.Tests.Conformance;

/// <summary>The vocabulary of the conformance rows, so that each row reads as one line (import with <c>using static</c>).</summary>
internal static class Rows
{
    /// <summary>No response at all (the row's status).</summary>
    public const int None = 0;

    /// <summary>The connection stays open.</summary>
    public const After Open = After.Open;

    /// <summary>The gateway closes the connection.</summary>
    public const After Close = After.Close;

    /// <summary>No request reaches the upstream (with a closing connection, not a byte).</summary>
    public static readonly UpstreamView Nothing = new(UpstreamKind.Nothing, []);

    /// <summary>No complete request reaches the upstream (see <see cref="UpstreamKind.Aborted"/>).</summary>
    public static readonly UpstreamView Aborted = new(UpstreamKind.Aborted, []);

    /// <summary>Neither Content-Length nor Transfer-Encoding upstream.</summary>
    public static readonly UpstreamBody NoBody = new(Framing.None, "");

    /// <summary>A row with one status (or <see cref="None"/>).</summary>
    public static ConformanceCase Row(string name, string raw, int status, After after, UpstreamView upstream, bool eof = false) =>
        new(name, raw, status == None ? [] : [status], after, upstream, eof);

    /// <summary>A row whose client reads several responses (pipelining, 100 Continue).</summary>
    public static ConformanceCase Row(string name, string raw, int[] statuses, After after, UpstreamView upstream, bool eof = false) =>
        new(name, raw, statuses, after, upstream, eof);

    /// <summary>The upstream receives exactly one request like this.</summary>
    public static UpstreamView Got(string requestLine, UpstreamBody body, params string[] fields) =>
        new(UpstreamKind.Forwarded, [new UpstreamRequest(requestLine, body, fields)]);

    /// <summary>The upstream receives exactly these requests, in order.</summary>
    public static UpstreamView Got(params UpstreamRequest[] requests) => new(UpstreamKind.Forwarded, requests);

    /// <summary>One of several expected upstream requests.</summary>
    public static UpstreamRequest Req(string requestLine, UpstreamBody body, params string[] fields) => new(requestLine, body, fields);

    /// <summary>A body framed with one canonical Content-Length.</summary>
    public static UpstreamBody Length(string data) => new(Framing.Length, data);

    /// <summary>A body re-framed as plain chunks.</summary>
    public static UpstreamBody Chunked(string data) => new(Framing.Chunked, data);
}
