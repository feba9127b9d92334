using Gateway.Core.Http;
using static Gateway.Core.Tests.Http.ParserHarness;

namespace Gateway.Core.Tests.Http;

/// <summary>
/// Request line (414), header section size and field count (431) limits, with small limits so the edges are easy to
/// reach. Definitions under test: the request line limit counts the line without its CRLF; the header limit counts
/// the field lines including their CRLFs, but not the request line and not the empty line that ends the head.
/// So the largest acceptable head is MaxRequestLineBytes + 2 + MaxRequestHeadersBytes + 2 bytes.
/// </summary>
public class ParserLimitTests
{
    private const int LineLimit = 64;
    private const int HeadersLimit = 256;
    private const int CountLimit = 5;
    private const int LargestHead = LineLimit + 2 + HeadersLimit + 2;

    private static readonly HttpLimits Small = new()
    {
        MaxRequestLineBytes = LineLimit,
        MaxRequestHeadersBytes = HeadersLimit,
        MaxRequestHeaderCount = CountLimit,
    };

    [Fact]
    public void RequestLineOfExactlyTheLimitIsAccepted()
    {
        var outcome = Parse(RequestLine(LineLimit) + "\r\nHost: a\r\n\r\n", Small);

        Assert.Equal(HeadStatus.Complete, outcome.Status);
        Assert.Equal(LineLimit - "GET  HTTP/1.1".Length, outcome.Path.Length);
    }

    [Theory]
    [InlineData(LineLimit + 1, "\r\n")]
    [InlineData(LineLimit + 1, "\n")]
    [InlineData(LineLimit + 40, "\r\n")]
    [InlineData(LineLimit + 40, "\n")]
    [InlineData(LineLimit + 400, "\r\n")]
    public void RequestLineOverTheLimitIs414(int length, string lineEnd)
    {
        var outcome = Parse(RequestLine(length) + lineEnd + "Host: a\r\n\r\n", Small);

        Assert.Equal(HeadStatus.Error, outcome.Status);
        Assert.Same(RequestError.RequestLineTooLong, outcome.Error);
    }

    [Fact]
    public void NeverEndingRequestLineIs414AsSoonAsTheLimitIsPassed()
    {
        var endless = Bytes("GET /" + new string('a', 1000));

        var (outcome, decidedAt) = OneByteAtATime(endless, Small);

        Assert.Same(RequestError.RequestLineTooLong, outcome.Error);
        Assert.Equal(LineLimit + 1, decidedAt);
        Assert.Equal(HeadStatus.Incomplete, Parse(endless[..LineLimit], Small).Status);
        Assert.Equal(414, Parse(endless[..(LineLimit + 1)], Small).ErrorStatus);
    }

    [Fact]
    public void ALineThatRunsOverTheLimitBeforeTheMethodEndsIs400Not414()
    {
        var noSpace = Bytes(new string('G', 1000));

        var (outcome, decidedAt) = OneByteAtATime(noSpace, Small);

        Assert.Same(RequestError.MethodTooLong, outcome.Error);
        Assert.Equal(400, outcome.ErrorStatus);
        Assert.Equal(LineLimit + 1, decidedAt);
        Assert.Equal(400, Parse(new string('G', LineLimit + 1) + " / HTTP/1.1\r\nHost: a\r\n\r\n", Small).ErrorStatus);
        Assert.Equal(414, Parse(new string('G', LineLimit - 1) + " /" + new string('a', 10) + " HTTP/1.1\r\nHost: a\r\n\r\n", Small).ErrorStatus);
    }

    [Fact]
    public void ACarriageReturnRightAtTheLimitMayStillEndTheLine()
    {
        var line = RequestLine(LineLimit);

        Assert.Equal(HeadStatus.Incomplete, Parse(line + "\r", Small).Status);
        Assert.Equal(414, Parse(line + "\rx", Small).ErrorStatus);
        Assert.Equal(414, Parse(line + "\r\r", Small).ErrorStatus);
        Assert.Equal(HeadStatus.Incomplete, Parse(line + "\r\n", Small).Status);
    }

    [Theory]
    [InlineData(14)]
    [InlineData(30)]
    [InlineData(LineLimit)]
    public void HeaderSectionOfExactlyTheLimitIsAccepted(int requestLineLength)
    {
        var outcome = Parse(RequestLine(requestLineLength) + "\r\n" + FieldLines(HeadersLimit) + "\r\n", Small);

        Assert.Equal(HeadStatus.Complete, outcome.Status);
        Assert.Equal(requestLineLength + 2 + HeadersLimit + 2, outcome.HeadLength);
    }

    [Theory]
    [InlineData(14, 1)]
    [InlineData(14, 2)]
    [InlineData(30, 1)]
    [InlineData(LineLimit, 1)]
    [InlineData(LineLimit, 2)]
    [InlineData(14, 100)]
    public void HeaderSectionOverTheLimitIs431WhateverTheRequestLineLength(int requestLineLength, int over)
    {
        var outcome = Parse(RequestLine(requestLineLength) + "\r\n" + FieldLines(HeadersLimit + over) + "\r\n", Small);

        Assert.Equal(HeadStatus.Error, outcome.Status);
        Assert.Same(RequestError.HeadersTooLarge, outcome.Error);
    }

    [Fact]
    public void HeaderLineOverTheLimitEndingInABareLineFeedIs431()
    {
        var outcome = Parse(RequestLine(14) + "\r\nHost: a\r\nX: " + new string('v', HeadersLimit) + "\n\r\n", Small);

        Assert.Same(RequestError.HeadersTooLarge, outcome.Error);
    }

    [Theory]
    [InlineData(14)]
    [InlineData(LineLimit)]
    public void NeverEndingHeaderSectionIs431AsSoonAsTheLimitIsPassed(int requestLineLength)
    {
        var start = RequestLine(requestLineLength) + "\r\nHost: a\r\nX-Pad: ";
        var endless = Bytes(start + new string('p', 1000));

        var (outcome, decidedAt) = OneByteAtATime(endless, Small);

        Assert.Same(RequestError.HeadersTooLarge, outcome.Error);
        Assert.Equal(requestLineLength + 2 + HeadersLimit + 1, decidedAt);
        Assert.Equal(HeadStatus.Incomplete, Parse(endless[..(decidedAt - 1)], Small).Status);
        Assert.Equal(431, Parse(endless[..decidedAt], Small).ErrorStatus);
    }

    [Fact]
    public void OnlyTheEmptyLineMayFollowAHeaderSectionOfExactlyTheLimit()
    {
        var head = RequestLine(14) + "\r\n" + FieldLines(HeadersLimit);

        Assert.Equal(HeadStatus.Incomplete, Parse(head, Small).Status);
        Assert.Equal(HeadStatus.Incomplete, Parse(head + "\r", Small).Status);
        Assert.Equal(HeadStatus.Complete, Parse(head + "\r\n", Small).Status);
        Assert.Equal(431, Parse(head + "X", Small).ErrorStatus);
        Assert.Equal(431, Parse(head + "\rX", Small).ErrorStatus);
    }

    [Fact]
    public void HeaderCountAtTheLimitIsAccepted()
    {
        var outcome = Parse("GET / HTTP/1.1\r\nHost: a\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n", Small);

        Assert.Equal(HeadStatus.Complete, outcome.Status);
        Assert.Equal(CountLimit, outcome.Fields.Count);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\nF: 6\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\nF: 6\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\nF: 6\r\nG: 7\r\nH: 8\r\n\r\n")]
    public void HeaderCountOverTheLimitIs431(string raw)
    {
        var outcome = Parse(raw, Small);

        Assert.Same(RequestError.TooManyHeaders, outcome.Error);
    }

    [Fact]
    public void TheLargestHeadWithinTheLimitsIsAccepted()
    {
        var raw = RequestLine(LineLimit) + "\r\n" + FieldLines(HeadersLimit) + "\r\n";

        var outcome = Parse(raw, Small);

        Assert.Equal(LargestHead, raw.Length);
        Assert.Equal(HeadStatus.Complete, outcome.Status);
        Assert.Equal(LargestHead, outcome.HeadLength);
    }

    public static TheoryData<string, string> EndlessInputs => new()
    {
        { "request line of letters", new string('a', 2000) },
        { "request line of CRs", new string('\r', 2000) },
        { "request line of CR x pairs", string.Concat(Enumerable.Repeat("\rx", 1000)) },
        { "header value that never ends", "GET / HTTP/1.1\r\nHost: a\r\nX: " + new string('v', 2000) },
        { "longest request line, then an endless value", RequestLine(LineLimit) + "\r\nX: " + new string('v', 2000) },
        { "header section of CRs", "GET / HTTP/1.1\r\nHost: a\r\n" + new string('\r', 2000) },
        { "endless long field lines", "GET / HTTP/1.1\r\n" + string.Concat(Enumerable.Repeat("X-Field: " + new string('v', 100) + "\r\n", 20)) },
        { "endless short field lines", "GET / HTTP/1.1\r\n" + string.Concat(Enumerable.Repeat("X: v\r\n", 300)) },
        { "endless pseudo-random bytes without LF", PseudoRandomLine(2000) },
    };

    [Theory]
    [MemberData(nameof(EndlessInputs))]
    public void ParserNeverWaitsForMoreThanTheLargestHead(string name, string raw)
    {
        var (outcome, decidedAt) = OneByteAtATime(Bytes(raw), Small);

        Assert.True(outcome.Status == HeadStatus.Error, $"{name}: {outcome.Describe()}");
        Assert.True(decidedAt <= LargestHead, $"{name}: decided only after {decidedAt} bytes");
        Assert.Equal(outcome.ErrorStatus, Parse(raw[..LargestHead], Small).ErrorStatus);
    }

    [Fact]
    public void AHugeBufferIsRejectedInOneCall()
    {
        var outcome = Whole(Bytes("GET /" + new string('a', 1_000_000)), Small);

        Assert.Same(RequestError.RequestLineTooLong, outcome.Error);
    }

    /// <summary>"GET /aaa… HTTP/1.1" of exactly <paramref name="length"/> bytes (at least 14).</summary>
    private static string RequestLine(int length) => "GET /" + new string('a', length - 14) + " HTTP/1.1";

    /// <summary>Field lines (Host and one padding field) of exactly <paramref name="bytes"/> bytes with their CRLFs.</summary>
    private static string FieldLines(int bytes) => "Host: a\r\nX-Pad: " + new string('p', bytes - 18) + "\r\n";

    private static string PseudoRandomLine(int length)
    {
        var random = new Random(1234);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            var b = random.Next(0, 255);
            chars[i] = (char)(b == '\n' ? 'n' : b);
        }

        return new string(chars);
    }
}
