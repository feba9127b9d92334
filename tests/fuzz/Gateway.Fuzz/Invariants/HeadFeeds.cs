using System.Buffers;
using System.Globalization;
using System.Text;
using Gateway.Core.Http;

namespace Gateway.Fuzz;

/// <summary>What one <see cref="HttpRequestParser.TryReadHead"/> feed decided, with a canonical text of everything parsed.</summary>
internal readonly record struct HeadResult(HeadStatus Status, int HeadLength, string Description);

/// <summary>
/// Feeds the bytes of one request head to <see cref="HttpRequestParser"/> the ways a connection could receive them
/// (whole; split in two as one two-segment buffer; split in two as two reads) and checks they all decide the same,
/// never claiming more bytes than they were given.
/// </summary>
internal static class HeadFeeds
{
    /// <summary>Parses <paramref name="input"/> whole with the caller's (connection-like, reused) parser and head.</summary>
    public static HeadResult Whole(HttpRequestParser parser, RequestHead head, ReadOnlyMemory<byte> input)
    {
        parser.Reset();
        return Feed(parser, head, Segments.One(input));
    }

    /// <summary>Checks that the split feeds of <paramref name="input"/> decide exactly what <paramref name="whole"/> did.</summary>
    public static void AssertSameWhenSplit(ReadOnlyMemory<byte> input, HeadResult whole)
    {
        var at = Segments.SplitPoint(input.Span);
        if (at == 0)
        {
            return;
        }

        var (first, second) = (input[..at], input[at..]);
        AssertSame(whole, Fresh(Segments.Two(first, second), then: null), $"as one two-segment buffer split at {at}");
        AssertSame(whole, Fresh(Segments.One(first), then: Segments.Two(first, second)), $"as two reads split at {at}");
    }

    /// <summary>A new parser and head fed <paramref name="buffer"/>, then (while incomplete) <paramref name="then"/>.</summary>
    private static HeadResult Fresh(ReadOnlySequence<byte> buffer, ReadOnlySequence<byte>? then)
    {
        var parser = new HttpRequestParser(RequestInvariants.Limits);
        using var head = new RequestHead();
        parser.Reset();
        var result = Feed(parser, head, buffer);
        return result.Status == HeadStatus.Incomplete && then is { } rest ? Feed(parser, head, rest) : result;
    }

    private static HeadResult Feed(HttpRequestParser parser, RequestHead head, ReadOnlySequence<byte> buffer)
    {
        var status = parser.TryReadHead(buffer, head, out var headLength, out var error);
        if (headLength < 0 || headLength > buffer.Length || parser.BytesSeen > buffer.Length)
        {
            throw new InvariantViolationException(
                $"The parser consumed more than it was given: head length {headLength}, bytes seen {parser.BytesSeen}, input {buffer.Length}.");
        }

        if (status == HeadStatus.Complete && headLength == 0)
        {
            throw new InvariantViolationException("A complete head of length 0.");
        }

        if ((status == HeadStatus.Error) != (error is not null))
        {
            throw new InvariantViolationException($"Status {status} came with error [{error?.Detail}].");
        }

        return new HeadResult(status, headLength, Describe(status, headLength, error, head));
    }

    private static void AssertSame(HeadResult expected, HeadResult actual, string how)
    {
        if (expected != actual)
        {
            throw new InvariantViolationException(
                $"Feeding the head {how} changed the outcome.\nWhole: {expected.Description}\nSplit: {actual.Description}");
        }
    }

    private static string Describe(HeadStatus status, int headLength, RequestError? error, RequestHead head)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{status} {error?.Status} {error?.Detail} length={headLength}");
        if (status != HeadStatus.Complete)
        {
            return text.ToString();
        }

        text.Append(CultureInfo.InvariantCulture, $" [{Latin1(head.MethodBytes)}] [{Latin1(head.PathBytes)}] [{Latin1(head.QueryBytes)}]");
        text.Append(CultureInfo.InvariantCulture, $" host=[{Latin1(head.RouteHostBytes)}] authority=[{Latin1(head.AuthorityBytes)}] {head.Version}");
        text.Append(CultureInfo.InvariantCulture, $" content-length={head.ContentLength} chunked={head.Chunked} keep-alive={head.KeepAlive}");
        text.Append(CultureInfo.InvariantCulture, $" continue={head.ExpectContinue} trailers={head.AcceptsTrailers} asterisk={head.AsteriskForm}");
        text.Append(CultureInfo.InvariantCulture, $" request-id={head.RequestIdIndex} traceparent={head.TraceParentIndex}");
        for (var i = 0; i < head.HeaderCount; i++)
        {
            var field = head.Headers[i];
            text.Append(CultureInfo.InvariantCulture, $"\n  [{Latin1(head.NameOf(i))}]=[{Latin1(head.ValueOf(i))}] {field.Known} hop={field.HopByHop}");
        }

        return text.ToString();
    }

    private static string Latin1(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);
}
