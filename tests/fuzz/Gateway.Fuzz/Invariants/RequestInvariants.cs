using System.Buffers;
using Gateway.Core.Configuration;
using Gateway.Core.Http;

namespace Gateway.Fuzz;

/// <summary>
/// The invariants the request front keeps for any bytes a client sends, checked message after message the way a
/// connection reads them (one parser and head reused, a Content-Length body skipped, a chunked body decoded):
/// no exception escapes (a bad request is a returned <see cref="RequestError"/> or <see cref="ChunkStatus.Error"/>);
/// the outcome is the same whole and split in two; nothing past the input is consumed; and a parsed target, field
/// names and values, and the fields forwarded upstream hold no CR, LF or NUL. A violation throws
/// <see cref="InvariantViolationException"/>. Called by the AFL++ entry and by the fuzz regression test.
/// </summary>
internal static class RequestInvariants
{
    /// <summary>Small limits, so that fuzzed inputs reach the 414 and 431 paths and heads longer than one copy chunk.</summary>
    public static readonly HttpLimits Limits = new() { MaxRequestLineBytes = 1024, MaxRequestHeadersBytes = 4096, MaxRequestHeaderCount = 32 };

    private static readonly SearchValues<byte> ForbiddenBytes = SearchValues.Create("\r\n\0"u8);

    /// <summary>Checks every invariant on <paramref name="input"/>; throws <see cref="InvariantViolationException"/> on the first broken one.</summary>
    public static void Check(ReadOnlyMemory<byte> input)
    {
        var parser = new HttpRequestParser(Limits);
        using var head = new RequestHead();
        while (!input.IsEmpty)
        {
            var result = HeadFeeds.Whole(parser, head, input);
            HeadFeeds.AssertSameWhenSplit(input, result);
            if (result.Status != HeadStatus.Complete)
            {
                return;
            }

            CheckParsedHead(head, result.HeadLength);
            CheckForwardedHeaders(head, result.HeadLength);
            input = input[result.HeadLength..];
            var bodyLength = head.Chunked ? ChunkedBodyLength(input) : Math.Max(head.ContentLength, 0);
            if (bodyLength < 0 || bodyLength > input.Length || !head.KeepAlive)
            {
                return;
            }

            input = input[(int)bodyLength..];
        }
    }

    private static long ChunkedBodyLength(ReadOnlyMemory<byte> body)
    {
        var decoded = ChunkedBodyFeeds.Decode(body);
        return decoded.Status == ChunkStatus.Done ? decoded.Consumed : -1;
    }

    private static void CheckParsedHead(RequestHead head, int headLength)
    {
        CheckWithinHead("method", head.Method, headLength);
        CheckWithinHead("path", head.Path, headLength);
        CheckWithinHead("query", head.Query, headLength);
        CheckWithinHead("route host", head.RouteHost, headLength);
        CheckWithinHead("authority", head.Authority, headLength);
        CheckClean("method", head.MethodBytes);
        CheckClean("target path", head.PathBytes);
        CheckClean("target query", head.QueryBytes);
        CheckClean("route host", head.RouteHostBytes);
        CheckClean("authority", head.AuthorityBytes);
        for (var i = 0; i < head.HeaderCount; i++)
        {
            var field = head.Headers[i];
            CheckWithinHead($"field {i} name", new Range(field.NameStart, field.NameStart + field.NameLength), headLength);
            CheckWithinHead($"field {i} value", new Range(field.ValueStart, field.ValueStart + field.ValueLength), headLength);
            CheckClean($"field {i} name", head.NameOf(i));
            CheckClean($"field {i} value", head.ValueOf(i));
        }
    }

    /// <summary>What the forwarding code emits for the head: no CR, LF or NUL in any name or value.</summary>
    private static void CheckForwardedHeaders(RequestHead head, int headLength)
    {
        foreach (var (name, value) in ForwardedHeaders.Emit(head, headLength))
        {
            if (name.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0 || value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                throw new InvariantViolationException($"Forwarded field [{name}: {value}] holds CR, LF or NUL.");
            }
        }
    }

    private static void CheckWithinHead(string what, Range range, int headLength)
    {
        var (start, end) = (range.Start.Value, range.End.Value);
        if (range.Start.IsFromEnd || range.End.IsFromEnd || start < 0 || start > end || end > headLength)
        {
            throw new InvariantViolationException($"The {what} [{start}..{end}] lies outside the head's {headLength} bytes.");
        }
    }

    private static void CheckClean(string what, ReadOnlySpan<byte> bytes)
    {
        if (bytes.ContainsAny(ForbiddenBytes))
        {
            throw new InvariantViolationException($"The parsed {what} [{Convert.ToHexString(bytes)}] holds CR, LF or NUL.");
        }
    }
}
