using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Gateway.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Core.Server;

/// <summary>The HTTP/1.1 request head that carries an HTTP/2 request into the engine (RFC 9113 §8.3.1 read backwards).</summary>
/// <remarks>
/// <c>:authority</c> becomes <c>Host</c>, the <c>cookie</c> fields are joined with "; " (§8.2.3), a body is framed by its
/// length when the client gave one and chunked otherwise, and the head asks for <c>Connection: close</c> since the
/// in-memory connection carries one request. A connection-specific field (§8.2.2) makes the request malformed: a 400.
/// <c>te</c> (only "trailers" passes Kestrel) becomes <c>TE: trailers</c>, so the answer may carry trailers; <c>expect</c>
/// (Kestrel's HTTP/2 answers it) stays behind.
/// </remarks>
internal static class Http1RequestHead
{
    private static readonly RequestError ConnectionSpecific = new(400, "HTTP/2 requests must not carry connection-specific fields (RFC 9113 §8.2.2).");
    private static readonly RequestError LineBreak = new(400, "HTTP/2 request fields must not contain CR, LF or NUL, nor a colon in a name (RFC 9113 §8.2.1).");
    private static readonly SearchValues<char> LineBreaks = SearchValues.Create("\r\n\0");
    private static readonly SearchValues<char> NameBreaks = SearchValues.Create("\r\n\0:");

    /// <summary>How the body of <paramref name="context"/>'s request is framed in its HTTP/1.1 form.</summary>
    public static BodyFraming FramingOf(HttpContext context) =>
        context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false } ? BodyFraming.None
        : context.Request.ContentLength is null ? BodyFraming.Chunked
        : BodyFraming.Length;

    /// <summary>Writes the head into <paramref name="output"/> (unflushed), or writes nothing and returns why the request is malformed.</summary>
    public static RequestError? Write(HttpContext context, BodyFraming framing, PipeWriter output)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.ToString();
        if (target.AsSpan().ContainsAny(LineBreaks))
        {
            return LineBreak;
        }

        foreach (var (name, values) in request.Headers)
        {
            if (IsConnectionSpecific(name))
            {
                return ConnectionSpecific;
            }

            if ((!name.StartsWith(':') && name.AsSpan().ContainsAny(NameBreaks)) || values.Any(value => value.AsSpan().ContainsAny(LineBreaks)))
            {
                return LineBreak;
            }
        }

        Text(output, request.Method);
        Text(output, " ");
        Text(output, target);
        Text(output, " HTTP/1.1\r\n");
        if (request.Headers.Host.ToString() is { Length: > 0 } host)
        {
            Field(output, "Host", host);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (!IsLeftBehind(name))
            {
                foreach (var value in values)
                {
                    Field(output, name, value);
                }
            }
        }

        if (request.Headers.Cookie.Count > 0)
        {
            Field(output, "Cookie", string.Join("; ", request.Headers.Cookie.ToArray()));
        }

        if (request.Headers.TE.Count > 0)
        {
            Text(output, "TE: trailers\r\n");
        }

        if (framing == BodyFraming.Length)
        {
            Field(output, "Content-Length", request.ContentLength!.Value.ToString(CultureInfo.InvariantCulture));
        }
        else if (framing == BodyFraming.Chunked)
        {
            Text(output, "Transfer-Encoding: chunked\r\n");
        }

        Text(output, "Connection: close\r\n\r\n");
        return null;
    }

    /// <summary>Writes one chunk of a chunked body: its size in hex, the data, CRLF.</summary>
    public static void WriteChunk(PipeWriter output, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        Text(output, data.Length.ToString("X", CultureInfo.InvariantCulture));
        output.Write("\r\n"u8);
        output.Write(data);
        output.Write("\r\n"u8);
    }

    /// <summary>The fields RFC 9113 §8.2.2 forbids in an HTTP/2 request (<c>connection</c> and a <c>te</c> other than trailers Kestrel refuses itself).</summary>
    private static bool IsConnectionSpecific(string name) =>
        name.Equals("connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
        || name.Equals("proxy-connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase)
        || name.Equals("upgrade", StringComparison.OrdinalIgnoreCase);

    /// <summary>The fields this head writes itself (host, cookie, framing, te) or leaves behind (expect), and pseudo-fields.</summary>
    private static bool IsLeftBehind(string name) =>
        name.StartsWith(':')
        || name.Equals("host", StringComparison.OrdinalIgnoreCase)
        || name.Equals("cookie", StringComparison.OrdinalIgnoreCase)
        || name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
        || name.Equals("te", StringComparison.OrdinalIgnoreCase)
        || name.Equals("expect", StringComparison.OrdinalIgnoreCase);

    private static void Field(PipeWriter output, string name, string? value)
    {
        Text(output, name);
        Text(output, ": ");
        Text(output, value ?? "");
        Text(output, "\r\n");
    }

    private static void Text(PipeWriter output, string text) => Encoding.Latin1.GetBytes(text, output);
}
