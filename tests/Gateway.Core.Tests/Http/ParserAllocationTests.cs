using System.Buffers;
using Gateway.Core.Http;
using static Gateway.Core.Tests.Http.ParserHarness;

namespace Gateway.Core.Tests.Http;

public class ParserAllocationTests
{
    private const string TypicalGet =
        "GET /api/v1/users/42/orders?limit=10&sort=desc HTTP/1.1\r\n" +
        "Host: api.example.com\r\n" +
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0\r\n" +
        "Accept: application/json, text/plain;q=0.9, */*;q=0.8\r\n" +
        "Accept-Language: en-US,en;q=0.5\r\n" +
        "Accept-Encoding: gzip, deflate, br\r\n" +
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl\r\n" +
        "Connection: keep-alive, X-Debug\r\n" +
        "X-Debug: 1\r\n" +
        "Cookie: session=abc123; theme=dark\r\n" +
        "X-Request-Id: 7f9c2d1e-4b3a-4c5d-9e8f-0a1b2c3d4e5f\r\n" +
        "TE: trailers\r\n" +
        "Cache-Control: no-cache\r\n" +
        "\r\n";

    [Fact]
    public void ParsingATypicalGetAllocatesNothingAfterWarmUp()
    {
        var bytes = Bytes(TypicalGet);
        var single = Sequences.Of(bytes);
        var fragmented = Sequences.Of(bytes.AsMemory(0, 10), bytes.AsMemory(10, 100), bytes.AsMemory(110));
        var parser = new HttpRequestParser(DefaultLimits);
        using var head = new RequestHead();

        for (var warmUp = 0; warmUp < 1_000; warmUp++)
        {
            Assert.Equal(bytes.Length, ParseOnce(parser, single, head));
            Assert.Equal(bytes.Length, ParseOnce(parser, fragmented, head));
        }

        Assert.Equal(12, head.HeaderCount);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var parsedBytes = 0L;
        for (var round = 0; round < 10_000; round++)
        {
            parsedBytes += ParseOnce(parser, single, head);
            parsedBytes += ParseOnce(parser, fragmented, head);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(20_000L * bytes.Length, parsedBytes);
        Assert.True(head.AcceptsTrailers && head.KeepAlive && head.Headers[7].HopByHop);
    }

    private static int ParseOnce(HttpRequestParser parser, in ReadOnlySequence<byte> buffer, RequestHead head)
    {
        parser.Reset();
        return parser.TryReadHead(buffer, head, out var headLength, out _) == HeadStatus.Complete ? headLength : -1;
    }
}
