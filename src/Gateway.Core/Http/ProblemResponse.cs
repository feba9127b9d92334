using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Gateway.Core.Http;

/// <summary>Writes the gateway's own error responses as RFC 9457 <c>application/problem+json</c>.</summary>
internal static class ProblemResponse
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes a complete problem response (head and body) to <paramref name="output"/>, unflushed; returns its size.</summary>
    public static long Write(
        PipeWriter output, int status, string detail, bool close, ReadOnlySpan<byte> requestId = default, string? allow = null, string? retryAfter = null,
        ReadOnlySpan<byte> extraFields = default)
    {
        var body = Body(status, detail);
        var head = new HeadWriter(output);
        head.Write(StatusLines.For(status));
        head.Write(DateHeader.Line);
        head.Write("Content-Type: application/problem+json\r\nCache-Control: no-store\r\n"u8);
        if (allow is not null)
        {
            head.WriteHeader("Allow"u8, allow);
        }

        if (retryAfter is not null)
        {
            head.WriteHeader("Retry-After"u8, retryAfter);
        }

        if (close)
        {
            head.Write("Connection: close\r\n"u8);
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

    /// <summary>The JSON body: type, title, status and detail.</summary>
    public static byte[] Body(int status, string detail)
    {
        using var stream = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(stream, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("type"u8, "about:blank");
            json.WriteString("title"u8, ReasonPhrases.GetReasonPhrase(status));
            json.WriteNumber("status"u8, status);
            json.WriteString("detail"u8, detail);
            json.WriteEndObject();
        }

        return stream.ToArray();
    }
}
