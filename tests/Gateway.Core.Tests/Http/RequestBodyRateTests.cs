using System.IO.Pipelines;
using System.Text;
using Gateway.Core.Http;
using static Gateway.Core.Tests.Http.ParserHarness;

namespace Gateway.Core.Tests.Http;

/// <summary>
/// The minimum request-body rate: a heartbeat past the grace fails a copy that waits on a client sending too slowly, and
/// never one that waits on the upstream. Heartbeats are called with a clock set ahead, so no test waits for real time.
/// </summary>
public sealed class RequestBodyRateTests : IDisposable
{
    private const string Head = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4000\r\n\r\n";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private const long TenSecondsLater = 10_000;

    private readonly Pipe _client = new();
    private readonly Pipe _toClient = new();
    private readonly RequestHead _head = new();

    public void Dispose() => _head.Dispose();

    [Fact]
    public async Task ClientSlowerThanTheRateAfterTheGraceIs408()
    {
        using var upstream = new MemoryStream();
        var reader = Start(minRate: 100);
        await Send(new string('a', 3));

        var copy = reader.CopyToAsync(upstream, CancellationToken.None);
        reader.OnHeartbeat(Environment.TickCount64 + TenSecondsLater);

        await Assert.ThrowsAsync<IOException>(() => copy.WaitAsync(Patience));
        Assert.Same(RequestError.BodyTooSlow, reader.Error);
        Assert.Equal(408, reader.Error?.Status);
        Assert.False(reader.IsComplete);
    }

    [Fact]
    public async Task ClientKeepingUpWithTheRateIsNotCut()
    {
        using var upstream = new MemoryStream();
        var reader = Start(minRate: 100);
        await Send(new string('a', 2000));

        var copy = reader.CopyToAsync(upstream, CancellationToken.None);
        reader.OnHeartbeat(Environment.TickCount64 + TenSecondsLater);
        await Send(new string('b', 2000));

        await copy.WaitAsync(Patience);
        Assert.Null(reader.Error);
        Assert.Equal(4000, upstream.Length);
    }

    [Fact]
    public async Task WithinTheGraceNothingIsChecked()
    {
        using var upstream = new MemoryStream();
        var reader = Start(minRate: 100, grace: TimeSpan.FromMinutes(1));

        var copy = reader.CopyToAsync(upstream, CancellationToken.None);
        reader.OnHeartbeat(Environment.TickCount64 + TenSecondsLater);
        await Send(new string('a', 4000));

        await copy.WaitAsync(Patience);
        Assert.Null(reader.Error);
    }

    [Fact]
    public async Task ZeroRateTurnsTheCheckOff()
    {
        using var upstream = new MemoryStream();
        var reader = Start(minRate: 0);

        var copy = reader.CopyToAsync(upstream, CancellationToken.None);
        reader.OnHeartbeat(Environment.TickCount64 + (long)TimeSpan.FromHours(1).TotalMilliseconds);
        await Send(new string('a', 4000));

        await copy.WaitAsync(Patience);
        Assert.Null(reader.Error);
    }

    [Fact]
    public async Task TimeWaitingForTheUpstreamDoesNotCountAgainstTheClient()
    {
        // The upstream takes nothing until the test reads: the copy's first write waits on it, not on the client.
        var toUpstream = new Pipe(new PipeOptions(pauseWriterThreshold: 1, resumeWriterThreshold: 1));
        var reader = Start(minRate: 100);
        await Send("abc");

        var copy = reader.CopyToAsync(toUpstream.Writer.AsStream(), CancellationToken.None);
        reader.OnHeartbeat(Environment.TickCount64 + TenSecondsLater);
        var drained = ReadAllAsync(toUpstream.Reader, 4000);
        await Send(new string('a', 3997));
        var received = await drained;

        await copy.WaitAsync(Patience);
        Assert.Null(reader.Error);
        Assert.Equal(4000, received);
    }

    private RequestBodyReader Start(long minRate, TimeSpan? grace = null)
    {
        var parser = new HttpRequestParser(DefaultLimits);
        parser.Reset();
        Assert.Equal(HeadStatus.Complete, parser.TryReadHead(Sequences.Of(Bytes(Head)), _head, out _, out _));
        var limits = DefaultLimits with { MinRequestBodyRate = minRate, MinRequestBodyRateGrace = grace ?? TimeSpan.FromSeconds(1) };
        var reader = new RequestBodyReader(_client.Reader, _toClient.Writer, limits);
        reader.Start(_head);
        return reader;
    }

    private async Task Send(string text) => await _client.Writer.WriteAsync(Encoding.Latin1.GetBytes(text));

    private static async Task<long> ReadAllAsync(PipeReader upstream, long length)
    {
        var received = 0L;
        while (received < length)
        {
            var result = await upstream.ReadAsync().AsTask().WaitAsync(Patience);
            received += result.Buffer.Length;
            upstream.AdvanceTo(result.Buffer.End);
        }

        return received;
    }
}
