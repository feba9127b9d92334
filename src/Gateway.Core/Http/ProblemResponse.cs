using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text.Json;

namespace Gateway.Core.Http;

/// <summary>
/// The gateway's own error responses as RFC 9457 <c>application/problem+json</c>. The body depends only on the status and
/// the detail, which are constants of the code and the configuration, so each is built once and kept. A request's
/// problem answers go through the front's response writer (which applies the request's field edits and knows HEAD);
/// <see cref="WriteRefusal"/> writes the whole answer for a request the front cannot even read.
/// </summary>
internal static class ProblemResponse
{
    /// <summary>Most bodies kept; past it (details are not expected to vary that much) a body is built per answer.</summary>
    private const int MaxCachedBodies = 1024;

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly ConcurrentDictionary<(int Status, string Detail), byte[]> Bodies = new();

    /// <summary>The problem's own fields: its media type, and that it is never cached.</summary>
    public static ReadOnlySpan<byte> Fields => "Content-Type: application/problem+json\r\nCache-Control: no-store\r\n"u8;

    /// <summary>
    /// Writes a complete problem response with <c>Connection: close</c> to <paramref name="output"/>, unflushed; returns its
    /// size. For a request refused before it could be read, or a connection refused before any request.
    /// </summary>
    public static long WriteRefusal(PipeWriter output, int status, string detail, ReadOnlySpan<byte> requestId)
    {
        var body = Body(status, detail);
        var head = new HeadWriter(output);
        head.Write(StatusLines.For(status));
        head.Write(DateHeader.Line);
        head.Write(Fields);
        head.Write("Connection: close\r\nX-Request-Id: "u8);
        head.Write(requestId);
        head.Write("\r\nContent-Length: "u8);
        head.WriteDecimal(body.Length);
        head.Write("\r\n\r\n"u8);
        head.Write(body);
        head.Commit();
        return head.Total;
    }

    /// <summary>The body for <paramref name="status"/> and <paramref name="detail"/>, built once.</summary>
    public static byte[] Body(int status, string detail)
    {
        if (Bodies.TryGetValue((status, detail), out var body))
        {
            return body;
        }

        body = Build(status, detail);
        if (Bodies.Count < MaxCachedBodies)
        {
            Bodies.TryAdd((status, detail), body);
        }

        return body;
    }

    private static byte[] Build(int status, string detail)
    {
        using var stream = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(stream, JsonOptions))
        {
            ProblemJson.Write(json, status, detail);
        }

        return stream.ToArray();
    }
}
