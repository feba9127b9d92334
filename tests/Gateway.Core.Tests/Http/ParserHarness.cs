using System.Text;
using Gateway.Core.Configuration;
using Gateway.Core.Http;

namespace Gateway.Core.Tests.Http;

/// <summary>
/// Feeds request bytes to <see cref="HttpRequestParser"/> in every way a connection could receive them and
/// checks that the outcome never depends on how the bytes were cut:
/// the whole input in one call; one byte more per call (each call passes every byte from the request's first,
/// one segment per byte, like a pipe whose reads deliver a byte at a time); and for every split point, one call
/// with a two-segment sequence and two calls (first part alone, then both parts as two segments).
/// </summary>
internal static class ParserHarness
{
    public static readonly HttpLimits DefaultLimits = new();

    /// <summary>Request text to bytes, one byte per char (so "\u00e9" is the single byte 0xE9).</summary>
    public static byte[] Bytes(string raw) => Encoding.Latin1.GetBytes(raw);

    /// <summary>Parses <paramref name="raw"/> every way, asserts all ways agree, and returns the outcome.</summary>
    public static HeadOutcome Parse(string raw, HttpLimits? limits = null) => Parse(Bytes(raw), limits);

    /// <inheritdoc cref="Parse(string, HttpLimits?)"/>
    public static HeadOutcome Parse(byte[] input, HttpLimits? limits = null)
    {
        limits ??= DefaultLimits;
        var whole = Whole(input, limits);
        var expected = whole.Describe();
        AssertSame(expected, OneByteAtATime(input, limits).Outcome, "one byte at a time");
        for (var at = 1; at < input.Length; at++)
        {
            AssertSame(expected, TwoSegments(input, at, limits), $"one call, two segments split at {at}");
            AssertSame(expected, TwoReads(input, at, limits), $"two calls split at {at}");
        }

        return whole;
    }

    /// <summary>The whole input in one single-segment call.</summary>
    public static HeadOutcome Whole(byte[] input, HttpLimits limits)
    {
        var parser = new HttpRequestParser(limits);
        using var head = new RequestHead();
        parser.Reset();
        var status = parser.TryReadHead(Sequences.Of(input), head, out var headLength, out var error);
        return HeadOutcome.Capture(status, headLength, error, head);
    }

    /// <summary>
    /// Feeds one more byte per call; returns the first outcome that is not Incomplete and how many bytes had
    /// arrived then (or Incomplete and the input length when the input ran out first).
    /// </summary>
    public static (HeadOutcome Outcome, int DecidedAt) OneByteAtATime(byte[] input, HttpLimits limits)
    {
        var parser = new HttpRequestParser(limits);
        using var head = new RequestHead();
        parser.Reset();
        var buffer = new GrowingSequence();
        var status = HeadStatus.Incomplete;
        var headLength = 0;
        RequestError? error = null;
        for (var i = 0; i < input.Length; i++)
        {
            buffer.Append(input.AsMemory(i, 1));
            status = parser.TryReadHead(buffer.Sequence, head, out headLength, out error);
            if (status != HeadStatus.Incomplete)
            {
                return (HeadOutcome.Capture(status, headLength, error, head), i + 1);
            }
        }

        return (HeadOutcome.Capture(status, headLength, error, head), input.Length);
    }

    private static HeadOutcome TwoSegments(byte[] input, int at, HttpLimits limits)
    {
        var parser = new HttpRequestParser(limits);
        using var head = new RequestHead();
        parser.Reset();
        var status = parser.TryReadHead(Sequences.Split(input, at), head, out var headLength, out var error);
        return HeadOutcome.Capture(status, headLength, error, head);
    }

    private static HeadOutcome TwoReads(byte[] input, int at, HttpLimits limits)
    {
        var parser = new HttpRequestParser(limits);
        using var head = new RequestHead();
        parser.Reset();
        var status = parser.TryReadHead(Sequences.Of(input.AsMemory(0, at)), head, out var headLength, out var error);
        if (status == HeadStatus.Incomplete)
        {
            status = parser.TryReadHead(Sequences.Split(input, at), head, out headLength, out error);
        }

        return HeadOutcome.Capture(status, headLength, error, head);
    }

    private static void AssertSame(string expected, HeadOutcome actual, string how)
    {
        var described = actual.Describe();
        if (described != expected)
        {
            Assert.Fail($"Feeding the input {how} changed the outcome.\nWhole input: {expected}\n{how}: {described}");
        }
    }

    /// <summary>
    /// Checks the fields a table row names, written as space-separated key=value pairs (a value with spaces
    /// goes in double quotes; see <see cref="HeadOutcome.Get"/> for the keys).
    /// </summary>
    public static void AssertFields(HeadOutcome outcome, string expected)
    {
        var mismatches = new List<string>();
        foreach (var (key, value) in Expectations(expected))
        {
            var actual = outcome.Get(key);
            if (actual != value)
            {
                mismatches.Add($"{key}: expected [{value}] but was [{actual}]");
            }
        }

        if (mismatches.Count > 0)
        {
            Assert.Fail(string.Join("\n", mismatches) + "\nOutcome: " + outcome.Describe());
        }
    }

    private static List<(string Key, string Value)> Expectations(string text)
    {
        var pairs = new List<(string, string)>();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == ' ')
            {
                i++;
                continue;
            }

            var equals = text.IndexOf('=', i);
            Assert.True(equals > i, $"Malformed expectation text: {text}");
            var key = text[i..equals];
            i = equals + 1;
            int end;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                end = text.IndexOf('"', i + 1);
                value = text[(i + 1)..end];
                end++;
            }
            else
            {
                end = text.IndexOf(' ', i);
                end = end < 0 ? text.Length : end;
                value = text[i..end];
            }

            pairs.Add((key, value));
            i = end;
        }

        return pairs;
    }
}
