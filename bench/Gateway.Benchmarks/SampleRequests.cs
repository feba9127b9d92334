using System.Buffers;
using System.Text;
using Gateway.Core.Configuration;
using Gateway.Core.Http;

namespace Gateway.Benchmarks;

/// <summary>The request bytes the benchmarks parse and forward: realistic heads, not minimal ones.</summary>
internal static class SampleRequests
{
    /// <summary>A browser/SPA API call: GET with a query and 12 header fields, Connection: keep-alive.</summary>
    public static readonly byte[] BrowserGet = Ascii(
        "GET /api/v1/orders/84213?include=items&limit=20 HTTP/1.1\r\n"
        + "Host: api.example.com\r\n"
        + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36\r\n"
        + "Accept: application/json, text/plain, */*\r\n"
        + "Accept-Language: en-US,en;q=0.9,de;q=0.8\r\n"
        + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
        + "Connection: keep-alive\r\n"
        + "Authorization: Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1LTQyIiwiaWF0IjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJlLWJ5dGVz\r\n"
        + "Cookie: session=3f2a9c1e7b4d; theme=dark; consent=1\r\n"
        + "Referer: https://app.example.com/orders?page=2\r\n"
        + "Origin: https://app.example.com\r\n"
        + "Sec-Fetch-Mode: cors\r\n"
        + "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n"
        + "\r\n");

    /// <summary>
    /// <see cref="BrowserGet"/> with <c>Connection: keep-alive, X-Secret</c>, and an X-Secret field in place of Origin
    /// (still 12 fields): X-Secret must be classified hop-by-hop and never forwarded.
    /// </summary>
    public static readonly byte[] ConnectionNamedGet = Ascii(
        Encoding.ASCII.GetString(BrowserGet)
            .Replace("Connection: keep-alive\r\n", "Connection: keep-alive, X-Secret\r\n", StringComparison.Ordinal)
            .Replace("Origin: https://app.example.com\r\n", "X-Secret: s3cr3t-for-the-next-hop-only\r\n", StringComparison.Ordinal));

    /// <summary>An API client's POST with a chunked JSON body (head only).</summary>
    public static readonly byte[] ChunkedPostHead = Ascii(
        "POST /api/v1/orders HTTP/1.1\r\n"
        + "Host: api.example.com\r\n"
        + "User-Agent: orders-client/2.3 (.NET 10; linux-x64)\r\n"
        + "Accept: application/json\r\n"
        + "Content-Type: application/json; charset=utf-8\r\n"
        + "Transfer-Encoding: chunked\r\n"
        + "Authorization: Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtb3JkZXJzIn0.c2lnbmF0dXJl\r\n"
        + "X-Request-Id: 7d0f6c1e-59a4-4b8e-9a43-1f6b2a9d3c10\r\n"
        + "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\n"
        + "\r\n");

    /// <summary>Sizes of the chunks of <see cref="ChunkedBody"/>.</summary>
    public static readonly int[] ChunkSizes = [64, 256, 1000, 19];

    /// <summary>A chunked body of four chunks (one with an extension) and an empty trailer section: 1,339 data bytes.</summary>
    public static readonly byte[] ChunkedBody = BuildChunkedBody(ChunkSizes);

    /// <summary>The chunked POST head followed by its body, as one client write.</summary>
    public static readonly byte[] ChunkedPost = [.. ChunkedPostHead, .. ChunkedBody];

    /// <summary>The parser limits of the shipped defaults.</summary>
    public static HttpLimits Limits { get; } = new();

    /// <summary>Parses <paramref name="bytes"/> into <paramref name="head"/> and fails loudly if it is not a complete, valid head.</summary>
    public static int ParseOrThrow(byte[] bytes, RequestHead head)
    {
        var parser = new HttpRequestParser(Limits);
        var status = parser.TryReadHead(new ReadOnlySequence<byte>(bytes), head, out var length, out var error);
        if (status != HeadStatus.Complete)
        {
            throw new InvalidOperationException($"Sample request did not parse: {status} {error?.Detail}");
        }

        return length;
    }

    private static byte[] BuildChunkedBody(int[] sizes)
    {
        var text = new StringBuilder();
        for (var i = 0; i < sizes.Length; i++)
        {
            text.Append(sizes[i].ToString("x", System.Globalization.CultureInfo.InvariantCulture));
            text.Append(i == 1 ? ";part=2\r\n" : "\r\n");
            for (var j = 0; j < sizes[i]; j++)
            {
                text.Append((char)('a' + ((i + j) % 26)));
            }

            text.Append("\r\n");
        }

        text.Append("0\r\n\r\n");
        return Ascii(text.ToString());
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
