using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text.Json;

namespace Gateway.Core.Http;

/// <summary>
/// Writes the gateway's own error responses as RFC 9457 <c>application/problem+json</c>. The body depends only on the
/// status and the detail, which are constants of the code and the configuration, so each is built once and kept.
/// </summary>
internal static class ProblemResponse
{
    /// <summary>Most bodies kept; past it (details are not expected to vary that much) a body is built per answer.</summary>
    private const int MaxCachedBodies = 1024;

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly ConcurrentDictionary<(int Status, string Detail), byte[]> Bodies = new();

    /// <summary>
    /// Writes a complete problem response (head and body) to <paramref name="output"/>, unflushed; returns its size. An
    /// HTTP/1.0 client whose connection stays open (<paramref name="http10KeepAlive"/>) is told so with <c>Connection: keep-alive</c>.
    /// </summary>
    public static long Write(
        PipeWriter output, int status, string detail, bool close, ReadOnlySpan<byte> requestId = default, ReadOnlySpan<byte> extraFields = default,
        bool http10KeepAlive = false)
    {
        var body = CachedBody(status, detail);
        var head = new HeadWriter(output);
        head.Write(StatusLines.For(status));
        head.Write(DateHeader.Line);
        head.Write("Content-Type: application/problem+json\r\nCache-Control: no-store\r\n"u8);
        if (close)
        {
            head.Write("Connection: close\r\n"u8);
        }
        else if (http10KeepAlive)
        {
            head.Write("Connection: keep-alive\r\n"u8);
        }

        head.Write(extraFields);
        if (!requestId.IsEmpty)
        {
            head.Write("X-Request-Id: "u8);
            head.Write(requestId);
            head.Write("\r\n"u8);
        }

        head.Write("Content-Length: "u8);
        head.WriteDecimal(body.Length);
        head.Write("\r\n\r\n"u8);
        head.Write(body);
        head.Commit();
        return head.Total;
    }

    private static byte[] CachedBody(int status, string detail)
    {
        if (Bodies.TryGetValue((status, detail), out var body))
        {
            return body;
        }

        body = Body(status, detail);
        if (Bodies.Count < MaxCachedBodies)
        {
            Bodies.TryAdd((status, detail), body);
        }

        return body;
    }

    private static byte[] Body(int status, string detail)
    {
        using var stream = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(stream, JsonOptions))
        {
            ProblemJson.Write(json, status, detail);
        }

        return stream.ToArray();
    }
}
