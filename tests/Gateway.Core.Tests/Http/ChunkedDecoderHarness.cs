using System.Buffers;
using System.Text;
using Gateway.Core.Http;

namespace Gateway.Core.Tests.Http;

/// <summary>What decoding a chunked body produced: the last status, the data concatenated, and bytes consumed.</summary>
internal sealed record DecodeOutcome(ChunkStatus Status, string Data, long Consumed);

/// <summary>
/// Runs <see cref="ChunkedDecoder"/> over a body the way <see cref="RequestBodyReader"/> does (call Next until it
/// stops producing data, keep the unconsumed rest, add what arrives next) and checks the outcome does not depend on
/// how the bytes arrive: whole, one byte at a time (one segment per unconsumed byte), and split at every boundary
/// both as one two-segment buffer and as two reads.
/// </summary>
internal static class ChunkedDecoderHarness
{
    public static DecodeOutcome Decode(string raw) => Decode(ParserHarness.Bytes(raw));

    public static DecodeOutcome Decode(byte[] input, bool everySplit = true)
    {
        var whole = Reads(input, [input.Length]);
        AssertSame(whole, OneByteAtATime(input), "one byte at a time");
        if (everySplit)
        {
            for (var at = 1; at < input.Length; at++)
            {
                AssertSame(whole, OneRead(Sequences.Split(input, at)), $"one two-segment buffer split at {at}");
                AssertSame(whole, Reads(input, [at, input.Length]), $"two reads split at {at}");
            }
        }

        return whole;
    }

    /// <summary>Delivers the input in reads ending at the given offsets.</summary>
    private static DecodeOutcome Reads(byte[] input, int[] readEnds)
    {
        var decoder = new ChunkedDecoder();
        decoder.Reset();
        var data = new StringBuilder();
        var consumed = 0;
        var status = ChunkStatus.NeedMore;
        var previousEnd = 0;
        foreach (var end in readEnds)
        {
            // Like a pipe: the bytes left unconsumed by the last read stay in their segment, the new ones follow.
            var buffer = consumed < previousEnd
                ? Sequences.Of(input.AsMemory(consumed, previousEnd - consumed), input.AsMemory(previousEnd, end - previousEnd))
                : Sequences.Of(input.AsMemory(consumed, end - consumed));
            previousEnd = end;
            status = Drain(decoder, ref buffer, data);
            consumed = end - (int)buffer.Length;
            if (status != ChunkStatus.NeedMore)
            {
                break;
            }
        }

        return new DecodeOutcome(status, data.ToString(), consumed);
    }

    private static DecodeOutcome OneRead(ReadOnlySequence<byte> buffer)
    {
        var decoder = new ChunkedDecoder();
        decoder.Reset();
        var data = new StringBuilder();
        var length = buffer.Length;
        var status = Drain(decoder, ref buffer, data);
        return new DecodeOutcome(status, data.ToString(), length - buffer.Length);
    }

    private static DecodeOutcome OneByteAtATime(byte[] input)
    {
        var decoder = new ChunkedDecoder();
        decoder.Reset();
        var data = new StringBuilder();
        var consumed = 0;
        var status = ChunkStatus.NeedMore;
        for (var arrived = 1; arrived <= input.Length; arrived++)
        {
            var buffer = Sequences.OneBytePerSegment(input.AsMemory(consumed, arrived - consumed));
            status = Drain(decoder, ref buffer, data);
            consumed = arrived - (int)buffer.Length;
            if (status != ChunkStatus.NeedMore)
            {
                break;
            }
        }

        return new DecodeOutcome(status, data.ToString(), consumed);
    }

    private static ChunkStatus Drain(ChunkedDecoder decoder, ref ReadOnlySequence<byte> buffer, StringBuilder data)
    {
        while (true)
        {
            var status = decoder.Next(ref buffer, out var piece);
            if (status != ChunkStatus.Data)
            {
                return status;
            }

            Assert.False(piece.IsEmpty, "Data status with no data.");
            data.Append(Encoding.Latin1.GetString(piece));
        }
    }

    private static void AssertSame(DecodeOutcome expected, DecodeOutcome actual, string how)
    {
        if (expected != actual)
        {
            Assert.Fail($"Feeding the body {how} changed the outcome.\nWhole body: {expected}\n{how}: {actual}");
        }
    }
}
