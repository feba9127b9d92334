using System.Buffers;
using Gateway.Core.Http;
using static Gateway.Core.Tests.Http.ParserHarness;

namespace Gateway.Core.Tests.Http;

/// <summary>Requests sent back to back in one buffer: each head is parsed from its own first byte after Reset.</summary>
public class PipelinedRequestTests
{
    private const string First = "GET /first?a=1 HTTP/1.1\r\nHost: a\r\nX-One: 1\r\n\r\n";
    private const string Second = "POST /second HTTP/1.1\r\nHost: b:81\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

    [Fact]
    public void SecondHeadIsParsedAfterSlicingTheFirst()
    {
        var bytes = Bytes(First + Second);

        var (first, second) = ParseTwo(Sequences.Of(bytes), bodyLength: 0);

        AssertFirst(first);
        AssertSecond(second);
    }

    [Fact]
    public void SecondHeadIsParsedWhereverTheBufferIsSplit()
    {
        var bytes = Bytes(First + Second);
        for (var at = 1; at < bytes.Length; at++)
        {
            var (first, second) = ParseTwo(Sequences.Split(bytes, at), bodyLength: 0);

            AssertFirst(first);
            AssertSecond(second);
        }
    }

    [Fact]
    public void SecondHeadIsParsedFromAOneBytePerSegmentBuffer()
    {
        var (first, second) = ParseTwo(Sequences.OneBytePerSegment(Bytes(First + Second)), bodyLength: 0);

        AssertFirst(first);
        AssertSecond(second);
    }

    [Fact]
    public void BodyBytesBetweenTheHeadsAreNotParsedAsARequest()
    {
        const string withBody = "POST /first HTTP/1.1\r\nHost: a\r\nContent-Length: 18\r\n\r\n";
        const string body = "GET /evil HTTP/1.1";
        var bytes = Bytes(withBody + body + Second);

        var (first, second) = ParseTwo(Sequences.Of(bytes), bodyLength: body.Length);

        Assert.Equal((HeadStatus.Complete, 18L, withBody.Length), (first.Status, first.ContentLength, first.HeadLength));
        AssertSecond(second);
    }

    [Fact]
    public void AMalformedSecondHeadDoesNotDisturbTheFirst()
    {
        var bytes = Bytes(First + "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");

        var (first, second) = ParseTwo(Sequences.Of(bytes), bodyLength: 0);

        AssertFirst(first);
        Assert.Same(RequestError.DuplicateHost, second.Error);
    }

    [Fact]
    public void SecondHeadArrivingByteByByteResumesFromItsOwnStart()
    {
        var parser = new HttpRequestParser(DefaultLimits);
        using var head = new RequestHead();
        var bytes = Bytes(First + Second);
        var buffer = new GrowingSequence();
        var consumed = 0L;
        var outcomes = new List<HeadOutcome>();
        parser.Reset();
        for (var i = 0; i < bytes.Length; i++)
        {
            buffer.Append(bytes.AsMemory(i, 1));
            var status = parser.TryReadHead(buffer.Sequence.Slice(consumed), head, out var headLength, out var error);
            if (status != HeadStatus.Incomplete)
            {
                outcomes.Add(HeadOutcome.Capture(status, headLength, error, head));
                consumed += headLength;
                parser.Reset();
            }
        }

        Assert.Equal(2, outcomes.Count);
        AssertFirst(outcomes[0]);
        AssertSecond(outcomes[1]);
    }

    private static (HeadOutcome First, HeadOutcome Second) ParseTwo(ReadOnlySequence<byte> buffer, int bodyLength)
    {
        var parser = new HttpRequestParser(DefaultLimits);
        using var head = new RequestHead();
        parser.Reset();
        var status = parser.TryReadHead(buffer, head, out var headLength, out var error);
        var first = HeadOutcome.Capture(status, headLength, error, head);
        Assert.Equal(HeadStatus.Complete, status);

        var rest = buffer.Slice(headLength + bodyLength);
        parser.Reset();
        status = parser.TryReadHead(rest, head, out headLength, out error);
        return (first, HeadOutcome.Capture(status, headLength, error, head));
    }

    private static void AssertFirst(HeadOutcome first)
    {
        Assert.Equal(HeadStatus.Complete, first.Status);
        Assert.Equal(First.Length, first.HeadLength);
        AssertFields(first, "method=GET path=/first query=?a=1 host=a count=2 value:X-One=1 keepalive=true length=-1");
    }

    private static void AssertSecond(HeadOutcome second)
    {
        Assert.Equal(HeadStatus.Complete, second.Status);
        Assert.Equal(Second.Length, second.HeadLength);
        AssertFields(second, "method=POST path=/second query= host=b authority=b:81 count=3 length=0 keepalive=false value:X-One=(none)");
    }
}
