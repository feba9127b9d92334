using System.Buffers;
using Gateway.Core.Http;
using static Gateway.Core.Tests.Http.ChunkedDecoderHarness;

namespace Gateway.Core.Tests.Http;

/// <summary>
/// Chunked body decoding (RFC 9112 §7.1). Each row is decoded whole, one byte at a time and split at every
/// boundary; every way must give the same status, data and consumed length. A request pipelined after the body
/// (here "GET /next") must be left unconsumed.
/// </summary>
public class ChunkedDecoderTests
{
    private const string Next = "GET /next HTTP/1.1\r\n\r\n";

    [Theory]
    [InlineData("5\r\nhello\r\n0\r\n\r\n", "hello")]
    [InlineData("0\r\n\r\n", "")]
    [InlineData("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world")]
    [InlineData("a\r\n0123456789\r\nA\r\nabcdefghij\r\n0\r\n\r\n", "0123456789abcdefghij")]
    [InlineData("1f\r\n0123456789012345678901234567890\r\n0\r\n\r\n", "0123456789012345678901234567890")]
    [InlineData("1F\r\n0123456789012345678901234567890\r\n0\r\n\r\n", "0123456789012345678901234567890")]
    [InlineData("0005\r\nhello\r\n000\r\n\r\n", "hello")]
    [InlineData("5;a=b\r\nhello\r\n0\r\n\r\n", "hello")]
    [InlineData("5;a=\"q\"\r\nhello\r\n0\r\n\r\n", "hello")]
    [InlineData("5;a=\"q; r=s\";b\r\nhello\r\n0\r\n\r\n", "hello")]
    [InlineData("5 ;a=b\r\nhello\r\n0\r\n\r\n", "hello")]
    [InlineData("5\t \t;a\r\nhello\r\n0\r\n\r\n", "hello")]
    [InlineData("5;a=\"\u00e9 \\\" \\\\ \\\u00e9\"\r\nhello\r\n0\r\n\r\n", "hello")]
    [InlineData("5;a;b=c;d=\"\"\r\nhello\r\n0\r\n\r\n", "hello")]
    [InlineData("5 ; a = b ;\tc\t=\t\"d\"\r\nhello\r\n0\r\n\r\n", "hello")]
    [InlineData("5;!#$%&'*+-.^_`|~=!#$%&'*+-.^_`|~\r\nhello\r\n0\r\n\r\n", "hello")]
    [InlineData("5\r\nhello\r\n0;last=1\r\n\r\n", "hello")]
    [InlineData("5\r\nhello\r\n0\r\nContent-Length: 50\r\nHost: evil\r\n\r\n", "hello")]
    [InlineData("5\r\nhello\r\n0\r\nX-Checksum: abc\r\n\r\n", "hello")]
    [InlineData("7\r\n0\r\n\r\nab\r\n0\r\n\r\n", "0\r\n\r\nab")]
    [InlineData("3\r\n\r\n\r\r\n0\r\n\r\n", "\r\n\r")]
    [InlineData("2\r\n\0\u00ff\r\n0\r\n\r\n", "\0\u00ff")]
    public void ValidBodyIsDecoded(string body, string expected)
    {
        var outcome = Decode(body + Next);

        Assert.Equal(new DecodeOutcome(ChunkStatus.Done, expected, body.Length), outcome);
    }

    [Fact]
    public void ExtensionOfExactlyTheCapIsAccepted()
    {
        // The cap counts every byte of the size line after the first digit: ';' and 4,095 extension bytes.
        var body = "1;" + new string('e', 4095) + "\r\nx\r\n0\r\n\r\n";

        var outcome = Decode(ParserHarness.Bytes(body), everySplit: false);

        Assert.Equal(new DecodeOutcome(ChunkStatus.Done, "x", body.Length), outcome);
    }

    [Fact]
    public void TrailersOfExactlyTheCapAreAccepted()
    {
        var body = "1\r\nx\r\n0\r\nX-Big: " + new string('t', (32 * 1024) - 7) + "\r\n\r\n";

        var outcome = Decode(ParserHarness.Bytes(body), everySplit: false);

        Assert.Equal(new DecodeOutcome(ChunkStatus.Done, "x", body.Length), outcome);
    }

    [Theory]
    [InlineData("0x5\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("+5\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("-0\r\n\r\n", "")]
    [InlineData("0_2e\r\n\r\n", "")]
    [InlineData(" 5\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5 \r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("\r\n5\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5\nhello\n0\n\n", "")]
    [InlineData("5\r\nhello\n0\r\n\r\n", "hello")]
    [InlineData("5\r\nhelloXX\r\n0\r\n\r\n", "hello")]
    [InlineData("5\r\nhello0\r\n\r\n", "hello")]
    [InlineData("5\r\nhello\r0\r\n\r\n", "hello")]
    [InlineData("FFFFFFFFFFFFFFFFF\r\n", "")]
    [InlineData("10000000000000000\r\n", "")]
    [InlineData("5;a\rX\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5;a\nb\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5;a\0\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5;a\u007f\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5 x\r\nhello\r\n0\r\n\r\n", "")]
    // Chunk extension syntax (RFC 9112 §7.1.1): name = token, value = token / quoted-string, BWS only around ";" and "=".
    // (An earlier row accepted "5;a\u00e9": 0xE9 is not a tchar, so that name was never a token.)
    [InlineData("5;a\u00e9\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5;\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5; \r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5;a;\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5;;a\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5;=b\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5;a=\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5;a=b=c\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5;a \r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5;a=b\t\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5;a=\"b\" \r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5;a b\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5;\"a\"\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5;a=\"b\"c\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5;a=\"b\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5;a=\"b\\\"\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5;a=\"b\\\r\"\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5;a=\"\u007f\"\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5;a=\"\0\"\r\nhello\r\n0\r\n\r\n", "")]
    [InlineData("5;a=b,c\r\nhello\r\n0\r\n\r\n", "")]
    // Trailer lines are field lines (RFC 9112 §7.1.2): a name, a colon, no leading whitespace.
    [InlineData("5\r\nhello\r\n0\r\ngarbage\r\n\r\n", "hello")]
    [InlineData("5\r\nhello\r\n0\r\n: x\r\n\r\n", "hello")]
    [InlineData("5\r\nhello\r\n0\r\n X: y\r\n\r\n", "hello")]
    [InlineData("5\r\nhello\r\n0\r\nX: y\r\n\tz\r\n\r\n", "hello")]
    [InlineData("5\r\nhello\r\n0\r\nX Y: z\r\n\r\n", "hello")]
    [InlineData("5\r\nhello\r\n0\r\nX: a\nY: b\r\n\r\n", "hello")]
    [InlineData("5\r\nhello\r\n0\r\nX: a\rY\r\n\r\n", "hello")]
    [InlineData("5\r\nhello\r\n0\r\nX: \0\r\n\r\n", "hello")]
    [InlineData("5\r\nhello\r\n0\r\n\n", "hello")]
    [InlineData("5\r\nhello\r\n0\r\n\rX", "hello")]
    public void MalformedBodyIsAnError(string body, string dataBeforeTheError)
    {
        var outcome = Decode(body);

        Assert.Equal(ChunkStatus.Error, outcome.Status);
        Assert.Equal(dataBeforeTheError, outcome.Data);
    }

    [Fact]
    public void ExtensionOverTheCapIsAnError()
    {
        var outcome = Decode(ParserHarness.Bytes("1;" + new string('e', 4096) + "\r\nx\r\n0\r\n\r\n"), everySplit: false);

        Assert.Equal(ChunkStatus.Error, outcome.Status);
        Assert.Equal(2 + 4096, outcome.Consumed);
    }

    [Fact]
    public void EndlessExtensionStopsAtTheCap()
    {
        var outcome = Decode(ParserHarness.Bytes("1;" + new string('e', 100_000)), everySplit: false);

        Assert.Equal(ChunkStatus.Error, outcome.Status);
        Assert.Equal(2 + 4096, outcome.Consumed);
    }

    [Fact]
    public void EndlessWhitespaceAfterTheSizeStopsAtTheCap()
    {
        var outcome = Decode(ParserHarness.Bytes("1" + new string(' ', 100_000)), everySplit: false);

        Assert.Equal(ChunkStatus.Error, outcome.Status);
        Assert.Equal(1 + 4097, outcome.Consumed);
    }

    [Fact]
    public void EndlessLeadingZerosStopAtTheCap()
    {
        var outcome = Decode(ParserHarness.Bytes(new string('0', 100_000)), everySplit: false);

        Assert.Equal(ChunkStatus.Error, outcome.Status);
        Assert.Equal(1 + 4097, outcome.Consumed);
    }

    [Fact]
    public void TrailersOverTheCapAreAnError()
    {
        var body = "1\r\nx\r\n0\r\nX-Big: " + new string('t', (32 * 1024) - 6) + "\r\n\r\n";

        var outcome = Decode(ParserHarness.Bytes(body), everySplit: false);

        Assert.Equal(ChunkStatus.Error, outcome.Status);
        Assert.Equal("x", outcome.Data);
    }

    [Fact]
    public void ManyTrailerLinesCountTogetherAgainstTheCap()
    {
        var line = "X-T: " + new string('t', 995) + "\r\n";
        var body = "0\r\n" + string.Concat(Enumerable.Repeat(line, 33)) + "\r\n";

        var outcome = Decode(ParserHarness.Bytes(body), everySplit: false);

        Assert.Equal(ChunkStatus.Error, outcome.Status);
    }

    [Theory]
    [InlineData("5\r\nhel", "hel")]
    [InlineData("5\r\nhello", "hello")]
    [InlineData("5\r\nhello\r\n", "hello")]
    [InlineData("5\r\nhello\r\n0\r\n", "hello")]
    [InlineData("5\r\nhello\r\n0\r\n\r", "hello")]
    [InlineData("5;ext", "")]
    [InlineData("", "")]
    public void TruncatedBodyNeedsMore(string body, string dataSoFar)
    {
        var outcome = Decode(body);

        Assert.Equal(new DecodeOutcome(ChunkStatus.NeedMore, dataSoFar, body.Length), outcome);
    }

    [Fact]
    public void ResetStartsANewBody()
    {
        var decoder = new ChunkedDecoder();
        decoder.Reset();
        var first = Sequences.Of(ParserHarness.Bytes("3\r\nabc"));
        Assert.Equal(ChunkStatus.Data, decoder.Next(ref first, out _));

        decoder.Reset();
        var second = Sequences.Of(ParserHarness.Bytes("2\r\nxy\r\n0\r\n\r\n"));
        Assert.Equal(ChunkStatus.Data, decoder.Next(ref second, out var data));
        Assert.Equal("xy"u8.ToArray(), data.ToArray());
        Assert.Equal(ChunkStatus.Done, decoder.Next(ref second, out _));
        Assert.True(second.IsEmpty);
    }
}
