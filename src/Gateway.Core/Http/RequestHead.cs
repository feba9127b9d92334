using System.Buffers;

namespace Gateway.Core.Http;

/// <summary>
/// A parsed request head: the raw head bytes copied into a per-connection buffer plus offsets into them.
/// One instance serves request after request (it lives in the pooled <c>RequestMachinery</c>, which a connection holds only
/// while it serves a request) and is reset for every one, so parsing allocates nothing. Its buffers are rented from the
/// shared pools by the first head and kept until it is disposed: renting and returning them for every request cost the
/// process about 35 MiB of peak RSS under load.
/// </summary>
public sealed class RequestHead : IDisposable
{
    private const int InitialBufferSize = 4096;
    private const int InitialHeaderCount = 16;

    /// <summary>The head bytes (request line, header lines, final CRLF).</summary>
    public byte[] Buffer { get; private set; } = [];

    /// <summary>Where the query parameters <see cref="RemoveQueryParameters"/> took out are kept ("name=value&amp;..."), or empty.</summary>
    private Range _removedQuery;

    /// <summary>Header fields in arrival order; the first <see cref="HeaderCount"/> are valid.</summary>
    internal HeaderField[] Headers { get; private set; } = [];

    /// <summary>Number of valid entries in <see cref="Headers"/>.</summary>
    public int HeaderCount { get; internal set; }

    /// <summary>Where the method sits in <see cref="Buffer"/>.</summary>
    public Range Method { get; internal set; }

    /// <summary>Where the normalized path (from '/' up to '?' or the end of the target, decoded in place) sits.</summary>
    public Range Path { get; internal set; }

    /// <summary>Where the query sits, including its leading '?'; empty when absent.</summary>
    public Range Query { get; internal set; }

    /// <summary>The host to route on (from an absolute-form target, else the Host field), without port.</summary>
    public Range RouteHost { get; internal set; }

    /// <summary>The authority the client addressed (host and optional port), for X-Forwarded-Host.</summary>
    public Range Authority { get; internal set; }

    /// <summary>The protocol version from the request line.</summary>
    public HttpVersion Version { get; internal set; }

    /// <summary>Declared body length, or -1 when there is none or it is chunked.</summary>
    public long ContentLength { get; internal set; }

    /// <summary>True when the body is framed with the chunked transfer coding.</summary>
    public bool Chunked { get; internal set; }

    /// <summary>True when the connection may carry another request after this one.</summary>
    public bool KeepAlive { get; internal set; }

    /// <summary>True for <c>OPTIONS *</c> (asterisk-form, RFC 9112 §3.2.4): a question about the gateway itself, never forwarded.</summary>
    public bool AsteriskForm { get; internal set; }

    /// <summary>True when the client sent <c>Expect: 100-continue</c>.</summary>
    public bool ExpectContinue { get; internal set; }

    /// <summary>True when the client sent <c>TE: trailers</c> (the one TE value forwarded).</summary>
    public bool AcceptsTrailers { get; internal set; }

    /// <summary>
    /// True for a WebSocket opening handshake (RFC 6455 §4.1): a bodiless HTTP/1.1 GET with <c>Connection: upgrade</c> and exactly
    /// <c>Upgrade: websocket</c>. Any other Upgrade (h2c, say) is never honoured: its fields stay hop-by-hop and are dropped.
    /// </summary>
    public bool WebSocketUpgrade { get; internal set; }

    /// <summary>Index of the (last) X-Request-Id field in <see cref="Headers"/>, or -1.</summary>
    public int RequestIdIndex { get; internal set; }

    /// <summary>
    /// Index of the Access-Control-Request-Method field of a CORS preflight (an OPTIONS request with an Origin naming a method
    /// token), or -1.
    /// </summary>
    public int PreflightMethodIndex { get; internal set; }

    /// <summary>True for a CORS preflight: <c>OPTIONS</c> with <c>Origin</c> and <c>Access-Control-Request-Method</c>.</summary>
    public bool IsPreflight => PreflightMethodIndex >= 0;

    /// <summary>Index of the (last) traceparent field in <see cref="Headers"/>, or -1.</summary>
    public int TraceParentIndex { get; internal set; }

    /// <summary>The traceparent value, or empty.</summary>
    public ReadOnlySpan<byte> TraceParentBytes => TraceParentIndex < 0 ? default : ValueOf(TraceParentIndex);

    /// <summary>True when the request has a body (chunked, or a positive Content-Length).</summary>
    public bool HasBody => Chunked || ContentLength > 0;

    /// <summary>The method bytes.</summary>
    public ReadOnlySpan<byte> MethodBytes => Buffer.AsSpan(Method);

    /// <summary>The method a CORS preflight asks about (the value of its Access-Control-Request-Method); empty for any other request.</summary>
    public ReadOnlySpan<byte> PreflightMethodBytes => PreflightMethodIndex < 0 ? default : ValueOf(PreflightMethodIndex);

    /// <summary>
    /// The path bytes, normalized (percent-encoded unreserved characters decoded, see <see cref="PathNormalization"/>); "/" for
    /// an absolute-form target without a path (RFC 9112 §3.2.1).
    /// </summary>
    public ReadOnlySpan<byte> PathBytes => Path.Start.Equals(Path.End) ? "/"u8 : Buffer.AsSpan(Path);

    /// <summary>The query bytes including '?'.</summary>
    public ReadOnlySpan<byte> QueryBytes => Buffer.AsSpan(Query);

    /// <summary>The routing host bytes.</summary>
    public ReadOnlySpan<byte> RouteHostBytes => Buffer.AsSpan(RouteHost);

    /// <summary>The authority bytes.</summary>
    public ReadOnlySpan<byte> AuthorityBytes => Buffer.AsSpan(Authority);

    /// <summary>The name bytes of header <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> NameOf(int index) => Buffer.AsSpan(Headers[index].NameStart, Headers[index].NameLength);

    /// <summary>The value bytes of header <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> ValueOf(int index) => Buffer.AsSpan(Headers[index].ValueStart, Headers[index].ValueLength);

    /// <summary>The value of the first field named <paramref name="name"/> (any case); empty when there is none.</summary>
    public ReadOnlySpan<byte> FirstValueOf(ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < HeaderCount; i++)
        {
            if (HttpSyntax.EqualsIgnoreCase(NameOf(i), name))
            {
                return ValueOf(i);
            }
        }

        return default;
    }

    /// <summary>
    /// Takes every query parameter named one of <paramref name="names"/> out of the query, where it lies (the query
    /// shrinks; with nothing left, the '?' goes too), so neither the upstream nor the access log sees it. The removed
    /// parameters are kept in the bytes the query no longer uses, for <see cref="RemovedQueryParameter"/>. Called once per request.
    /// </summary>
    public void RemoveQueryParameters(byte[][] names)
    {
        if (Query.Start.Equals(Query.End))
        {
            return;
        }

        var (start, end) = (Query.Start.Value, Query.End.Value);
        var removed = System.Buffers.ArrayPool<byte>.Shared.Rent(end - start);
        var removedLength = 0;
        var written = start + 1;
        var read = start + 1;
        while (read < end)
        {
            var length = Buffer.AsSpan(read, end - read).IndexOf((byte)'&');
            length = length < 0 ? end - read : length;
            var pair = Buffer.AsSpan(read, length);
            var equals = pair.IndexOf((byte)'=');
            if (Named(pair[..(equals < 0 ? pair.Length : equals)], names))
            {
                // Kept aside first: the pairs after it move left over its bytes.
                pair.CopyTo(removed.AsSpan(removedLength));
                removedLength += length;
                removed[removedLength++] = (byte)'&';
            }
            else
            {
                if (written > start + 1)
                {
                    Buffer[written++] = (byte)'&';
                }

                pair.CopyTo(Buffer.AsSpan(written));
                written += length;
            }

            read += length + 1;
        }

        var queryEnd = written == start + 1 ? start : written;
        Query = new Range(start, queryEnd);
        if (removedLength > 0)
        {
            // The removed pairs fit in what the query gave up: they are its own bytes, less the separators they took.
            var kept = Math.Min(removedLength - 1, end - queryEnd);
            removed.AsSpan(0, kept).CopyTo(Buffer.AsSpan(queryEnd));
            _removedQuery = new Range(queryEnd, queryEnd + kept);
        }

        System.Buffers.ArrayPool<byte>.Shared.Return(removed);
    }

    /// <summary>The value of the first parameter named <paramref name="name"/> that <see cref="RemoveQueryParameters"/> took out; empty when none.</summary>
    public ReadOnlySpan<byte> RemovedQueryParameter(ReadOnlySpan<byte> name)
    {
        var pairs = Buffer.AsSpan(_removedQuery);
        foreach (var range in pairs.Split((byte)'&'))
        {
            var pair = pairs[range];
            var equals = pair.IndexOf((byte)'=');
            if (pair[..(equals < 0 ? pair.Length : equals)].SequenceEqual(name))
            {
                return equals < 0 ? default : pair[(equals + 1)..];
            }
        }

        return default;
    }

    private static bool Named(ReadOnlySpan<byte> name, byte[][] names)
    {
        foreach (var candidate in names)
        {
            if (name.SequenceEqual(candidate))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when a response with <paramref name="status"/> to this request carries no body: to HEAD, and 204 and 304 (RFC 9110 §6.4.1).</summary>
    public bool AnswerHasNoBody(int status) => status is 204 or 304 || MethodBytes.SequenceEqual("HEAD"u8);

    /// <summary>True when more than one field is named <paramref name="name"/> (any case).</summary>
    public bool HasSecond(ReadOnlySpan<byte> name)
    {
        var seen = false;
        for (var i = 0; i < HeaderCount; i++)
        {
            if (HttpSyntax.EqualsIgnoreCase(NameOf(i), name))
            {
                if (seen)
                {
                    return true;
                }

                seen = true;
            }
        }

        return false;
    }

    /// <summary>Clears the parsed state for the next request, keeping the buffers.</summary>
    public void Reset()
    {
        HeaderCount = 0;
        Method = Path = Query = RouteHost = Authority = default;
        Version = HttpVersion.Http11;
        ContentLength = -1;
        Chunked = KeepAlive = ExpectContinue = AcceptsTrailers = AsteriskForm = WebSocketUpgrade = false;
        RequestIdIndex = TraceParentIndex = PreflightMethodIndex = -1;
        _removedQuery = default;
    }

    /// <summary>Ensures the buffer holds at least <paramref name="size"/> bytes, keeping the first <paramref name="used"/>.</summary>
    internal void EnsureBuffer(int size, int used)
    {
        if (Buffer.Length >= size)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(size, Math.Max(Buffer.Length * 2, InitialBufferSize)));
        Buffer.AsSpan(0, used).CopyTo(larger);
        ReturnBuffer();
        Buffer = larger;
    }

    /// <summary>Appends a header slot, growing the array when needed, and returns its index.</summary>
    internal int AddHeader()
    {
        if (HeaderCount == Headers.Length)
        {
            var larger = ArrayPool<HeaderField>.Shared.Rent(Math.Max(Headers.Length * 2, InitialHeaderCount));
            Headers.AsSpan().CopyTo(larger);
            ReturnHeaders();
            Headers = larger;
        }

        Headers[HeaderCount] = default;
        return HeaderCount++;
    }

    /// <summary>Forgets the head and gives its buffers back to the shared pools.</summary>
    public void Dispose()
    {
        Reset();
        ReturnBuffer();
        ReturnHeaders();
    }

    private void ReturnBuffer()
    {
        if (Buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(Buffer);
            Buffer = [];
        }
    }

    private void ReturnHeaders()
    {
        if (Headers.Length > 0)
        {
            ArrayPool<HeaderField>.Shared.Return(Headers);
            Headers = [];
        }
    }
}
