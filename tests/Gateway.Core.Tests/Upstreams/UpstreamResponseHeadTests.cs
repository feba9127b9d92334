using System.Buffers;
using System.Text;
using Gateway.Core.Tests.Http;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>The strict upstream response head parser: what is accepted, how the body is framed, and what is refused as ambiguous.</summary>
public sealed class UpstreamResponseHeadTests : IDisposable
{
    private readonly UpstreamResponseHead _head = new();

    public void Dispose() => _head.Dispose();

    [Fact]
    public void TypicalResponseIsParsedWithItsLength()
    {
        const string Text = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{\"ok\":true}\n";

        Assert.Equal(ResponseHeadStatus.Complete, Parse(Text));

        Assert.Equal(200, _head.Status);
        Assert.Equal("OK", Encoding.ASCII.GetString(_head.Reason));
        Assert.Equal(12, _head.ContentLength);
        Assert.False(_head.Chunked);
        Assert.True(_head.KeepAlive);
        Assert.Equal(Text.IndexOf('{', StringComparison.Ordinal), _head.Length);
    }

    [Fact]
    public void EveryPrefixOfAHeadNeedsMore()
    {
        const string Text = "HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n";

        for (var length = 0; length < Text.Length; length++)
        {
            Assert.Equal(ResponseHeadStatus.NeedMore, Parse(Text[..length]));
        }

        Assert.Equal(ResponseHeadStatus.Complete, Parse(Text));
    }

    [Fact]
    public void HeadSplitAcrossSegmentsIsParsed()
    {
        var bytes = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");

        Assert.Equal(ResponseHeadStatus.Complete, _head.TryParse(Sequences.OneBytePerSegment(bytes)));

        Assert.Equal(5, _head.ContentLength);
        Assert.Equal("Content-Length", Encoding.ASCII.GetString(_head.NameOf(0)));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", true, -1)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: CHUNKED \r\n\r\n", true, -1)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 7, 7\r\nContent-Length: 7\r\n\r\n", false, 7)]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n", false, -1)]
    [InlineData("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", false, 0)]
    [InlineData("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n", false, 0)]
    public void FramingIsRead(string text, bool chunked, long contentLength)
    {
        Assert.Equal(ResponseHeadStatus.Complete, Parse(text));

        Assert.Equal(chunked, _head.Chunked);
        Assert.Equal(contentLength, _head.ContentLength);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: xchunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: \vchunked\r\n\r\n")]
    [InlineData("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0x5\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5 5\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n")]
    public void AmbiguousFramingIsRefused(string text) => Assert.Equal(ResponseHeadStatus.Malformed, Parse(text));

    [Theory]
    [InlineData("HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\nX-A: b\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: b\rc\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: b\r\n continued\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A : b\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX A: b\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n: b\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: b\0c\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close, a b\r\n\r\n")]
    [InlineData("HTTP/2.0 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.2 200 OK\r\n\r\n")]
    [InlineData("http/1.1 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 099 Odd\r\n\r\n")]
    [InlineData("HTTP/1.1 600 Odd\r\n\r\n")]
    [InlineData("HTTP/1.1  200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 O\u0001K\r\n\r\n")]
    [InlineData("ICY 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")]
    public void MalformedHeadIsRefused(string text) => Assert.Equal(ResponseHeadStatus.Malformed, Parse(text));

    [Theory]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", true)]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\n\r\n", true)]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n\r\n", false)]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n", false)]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nUpgrade: h2c\r\n\r\n", false)]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nContent-Length: 0\r\n\r\n", false)]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nTransfer-Encoding: chunked\r\n\r\n", false)]
    public void A101IsAcceptedOnlyAsTheWebSocketUpgradeThatWasAskedFor(string text, bool accepted)
    {
        _head.UpgradeRequested = true;

        Assert.Equal(accepted ? ResponseHeadStatus.Complete : ResponseHeadStatus.Malformed, Parse(text));
        Assert.True(accepted ? _head.Problem is null && !_head.IsRelayed(0) : _head.Problem is not null);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\nContent-Length: 5\n\nhello")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\n")]
    [InlineData("\n")]
    public void BareLineFeedIsRefusedWithoutWaitingForAnEndThatNeverComes(string text) => Assert.Equal(ResponseHeadStatus.Malformed, Parse(text));

    [Fact]
    public void OversizedHeadIsRefusedWithoutWaitingForItsEnd()
    {
        var text = "HTTP/1.1 200 OK\r\nX-Big: " + new string('a', UpstreamResponseHead.MaxHeadBytes);

        Assert.Equal(ResponseHeadStatus.Malformed, Parse(text));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", false)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: Keep-Alive, CLOSE\r\n\r\n", false)]
    [InlineData("HTTP/1.0 200 OK\r\n\r\n", false)]
    [InlineData("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n", true)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n\r\n", true)]
    public void PersistenceFollowsVersionAndConnection(string text, bool keepAlive)
    {
        Assert.Equal(ResponseHeadStatus.Complete, Parse(text));

        Assert.Equal(keepAlive, _head.KeepAlive);
    }

    [Fact]
    public void HopByHopFieldsAndThoseNamedInConnectionAreNotRelayed()
    {
        Assert.Equal(ResponseHeadStatus.Complete, Parse(
            "HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Hop\r\nX-Hop: secret\r\nKeep-Alive: timeout=5\r\nTrailer: X-T\r\n"
            + "Upgrade: h2c\r\nProxy-Connection: x\r\nTE: trailers\r\nX-Request-Id: theirs\r\nVia: 1.1 inner\r\nContent-Length: 0\r\nETag: \"1\"\r\n\r\n"));

        var relayed = Enumerable.Range(0, _head.FieldCount).Where(_head.IsRelayed).Select(i => Encoding.ASCII.GetString(_head.NameOf(i)));
        Assert.Equal(["ETag"], relayed);
        Assert.Single(Enumerable.Range(0, _head.FieldCount), _head.IsVia);
    }

    private ResponseHeadStatus Parse(string text) => _head.TryParse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text)));
}
