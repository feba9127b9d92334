using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Gateway.Core.Http;
using static Gateway.Core.Tests.Http.ParserHarness;

namespace Gateway.Core.Tests.Http;

/// <summary>Streaming request bodies from a real client <see cref="Pipe"/> to a stream.</summary>
public sealed class RequestBodyReaderTests : IDisposable
{
    private const string NextRequest = "GET /next HTTP/1.1\r\nHost: a\r\n\r\n";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Pipe _client = new();
    private readonly Pipe _toClient = new();
    private readonly MemoryStream _upstream = new();
    private readonly RequestHead _head = new();

    public void Dispose()
    {
        _upstream.Dispose();
        _head.Dispose();
    }

    [Fact]
    public async Task ContentLengthBodyIsCopiedExactlyAndThePipelinedRequestIsLeftUnread()
    {
        var reader = Start("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n", maxBodyBytes: 100);
        await Send("hello");

        var copy = reader.CopyToAsync(_upstream, CancellationToken.None);
        await Send(" world" + NextRequest);
        await copy.WaitAsync(Patience);

        Assert.Equal("hello world", Upstream());
        Assert.True(reader.IsComplete);
        Assert.False(reader.ClientAborted);
        Assert.Null(reader.Error);
        Assert.Equal(11, reader.ContentLength);
        Assert.Equal(NextRequest, await RestOfClientPipe());
    }

    [Fact]
    public async Task ContentLengthBodyArrivingByteByByteIsCopied()
    {
        var reader = Start("PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n", maxBodyBytes: 100);

        var copy = reader.CopyToAsync(_upstream, CancellationToken.None);
        foreach (var c in "abcde" + NextRequest)
        {
            await Send(c.ToString());
        }

        await copy.WaitAsync(Patience);

        Assert.Equal("abcde", Upstream());
        Assert.Equal(NextRequest, await RestOfClientPipe());
    }

    [Fact]
    public async Task ChunkedBodyIsDecodedAndThePipelinedRequestIsLeftUnread()
    {
        var reader = Start("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", maxBodyBytes: 100);
        await Send("5;x=y\r\nhel");

        var copy = reader.CopyToAsync(_upstream, CancellationToken.None);
        await Send("lo\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n" + NextRequest);
        await copy.WaitAsync(Patience);

        Assert.Equal("hello world", Upstream());
        Assert.True(reader.IsComplete);
        Assert.Equal(-1, reader.ContentLength);
        Assert.Equal(NextRequest, await RestOfClientPipe());
    }

    [Theory]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n", "hel")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n", "")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", "5\r\nhel")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", "5\r\nhello\r\n0\r\n")]
    public async Task ClientClosingBeforeTheBodyEndsIsAnAbort(string head, string sent)
    {
        var reader = Start(head, maxBodyBytes: 100);

        var copy = reader.CopyToAsync(_upstream, CancellationToken.None);
        await Send(sent);
        await _client.Writer.CompleteAsync();

        await Assert.ThrowsAsync<IOException>(() => copy.WaitAsync(Patience));
        Assert.True(reader.ClientAborted);
        Assert.False(reader.IsComplete);
        Assert.Null(reader.Error);
    }

    [Fact]
    public async Task ContentLengthBodyOverTheMaximumIs413()
    {
        var reader = Start("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n", maxBodyBytes: 4);
        await Send("0123456789");

        await Assert.ThrowsAsync<InvalidDataException>(() => reader.CopyToAsync(_upstream, CancellationToken.None).WaitAsync(Patience));

        Assert.Equal(413, reader.Error?.Status);
        Assert.Same(RequestError.BodyTooLarge, reader.Error);
    }

    [Fact]
    public async Task ChunkedBodyOverTheMaximumIs413()
    {
        var reader = Start("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", maxBodyBytes: 8);

        var copy = reader.CopyToAsync(_upstream, CancellationToken.None);
        await Send("5\r\nhello\r\n");
        await Send("5\r\nworld\r\n0\r\n\r\n");

        await Assert.ThrowsAsync<InvalidDataException>(() => copy.WaitAsync(Patience));
        Assert.Equal(413, reader.Error?.Status);
        Assert.Equal("hello", Upstream());
    }

    [Fact]
    public async Task BodyOfExactlyTheMaximumIsAccepted()
    {
        var reader = Start("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", maxBodyBytes: 10);
        await Send("5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n");

        await reader.CopyToAsync(_upstream, CancellationToken.None).WaitAsync(Patience);

        Assert.Equal("helloworld", Upstream());
        Assert.Null(reader.Error);
    }

    [Fact]
    public async Task MalformedChunkedBodyIs400()
    {
        var reader = Start("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", maxBodyBytes: 100);
        await Send("5\r\nhelloXX\r\n0\r\n\r\n");

        await Assert.ThrowsAsync<InvalidDataException>(() => reader.CopyToAsync(_upstream, CancellationToken.None).WaitAsync(Patience));

        Assert.Same(RequestError.BadChunkedBody, reader.Error);
        Assert.False(reader.ClientAborted);
    }

    [Fact]
    public async Task ExpectContinueSendsOneHundredContinueBeforeReadingTheBody()
    {
        var reader = Start("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n", maxBodyBytes: 100);

        var copy = reader.CopyToAsync(_upstream, CancellationToken.None);
        var interim = await _toClient.Reader.ReadAsync().AsTask().WaitAsync(Patience);

        Assert.Equal("HTTP/1.1 100 Continue\r\n\r\n", Latin1(interim.Buffer));
        Assert.False(copy.IsCompleted);
        Assert.Equal(0, _upstream.Length);
        _toClient.Reader.AdvanceTo(interim.Buffer.End);

        await Send("hello");
        await copy.WaitAsync(Patience);

        Assert.Equal("hello", Upstream());
        await _toClient.Writer.CompleteAsync();
        var after = await _toClient.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.True(after.Buffer.IsEmpty && after.IsCompleted);
    }

    [Theory]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n")]
    [InlineData("POST / HTTP/1.0\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")] // the body came with the head
    public async Task NoInterimResponseWithoutAnHttp11ExpectationOrOnceTheBodyArrived(string head)
    {
        var reader = Start(head, maxBodyBytes: 100);
        await Send("hello");

        await reader.CopyToAsync(_upstream, CancellationToken.None).WaitAsync(Patience);
        await _toClient.Writer.CompleteAsync();

        var written = await _toClient.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.True(written.Buffer.IsEmpty);
        Assert.Equal("hello", Upstream());
    }

    [Fact]
    public async Task RequestWithoutABodyReadsNothing()
    {
        var reader = Start("GET / HTTP/1.1\r\nHost: a\r\n\r\n", maxBodyBytes: 100);
        await Send(NextRequest);

        Assert.True(reader.IsComplete);
        await reader.CopyToAsync(_upstream, CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(0, _upstream.Length);
        Assert.Equal(NextRequest, await RestOfClientPipe());
    }

    private RequestBodyReader Start(string head, long maxBodyBytes) => Start(head, DefaultLimits with { MaxRequestBodyBytes = maxBodyBytes });

    private RequestBodyReader Start(string head, HttpLimits limits)
    {
        var parser = new HttpRequestParser(DefaultLimits);
        parser.Reset();
        Assert.Equal(HeadStatus.Complete, parser.TryReadHead(Sequences.Of(Bytes(head)), _head, out _, out _));
        var reader = new RequestBodyReader(_client.Reader, _toClient.Writer, limits);
        reader.Start(_head);
        return reader;
    }

    private async Task Send(string text) => await _client.Writer.WriteAsync(Bytes(text));

    private string Upstream() => Encoding.Latin1.GetString(_upstream.ToArray());

    private async Task<string> RestOfClientPipe()
    {
        await _client.Writer.CompleteAsync();
        var result = await _client.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        var rest = Latin1(result.Buffer);
        _client.Reader.AdvanceTo(result.Buffer.End);
        return rest;
    }

    private static string Latin1(in ReadOnlySequence<byte> bytes) => Encoding.Latin1.GetString(bytes.ToArray());
}
