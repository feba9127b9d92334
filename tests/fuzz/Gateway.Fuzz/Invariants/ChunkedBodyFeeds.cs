using System.Buffers;
using Gateway.Core.Http;

namespace Gateway.Fuzz;

/// <summary>What decoding a chunked body decided: the last status, the data produced, and the bytes consumed.</summary>
internal sealed record DecodeResult(ChunkStatus Status, string Data, long Consumed);

/// <summary>
/// Runs <see cref="ChunkedDecoder"/> over the bytes after a chunked head the way <see cref="RequestBodyReader"/> does
/// (call Next until it stops producing data; keep the unconsumed rest for the next read), whole and split in two, and
/// checks both decide the same, data pieces are never empty, and nothing past the input is consumed.
/// </summary>
internal static class ChunkedBodyFeeds
{
    /// <summary>Decodes <paramref name="body"/> every way, checks the invariants, and returns the whole-input result.</summary>
    public static DecodeResult Decode(ReadOnlyMemory<byte> body)
    {
        var whole = Reads(body, body.Length);
        var at = Segments.SplitPoint(body.Span);
        if (at > 0)
        {
            AssertSame(whole, OneBuffer(Segments.Two(body[..at], body[at..])), $"as one two-segment buffer split at {at}");
            AssertSame(whole, Reads(body, at), $"as two reads split at {at}");
        }

        return whole;
    }

    /// <summary>Delivers the body in two reads, the first ending at <paramref name="firstEnd"/> (one read when that is the end).</summary>
    private static DecodeResult Reads(ReadOnlyMemory<byte> body, int firstEnd)
    {
        var decoder = new ChunkedDecoder();
        decoder.Reset();
        var data = new List<byte>();
        var buffer = Segments.One(body[..firstEnd]);
        var status = Drain(decoder, ref buffer, data);
        var consumed = firstEnd - buffer.Length;
        if (status == ChunkStatus.NeedMore && firstEnd < body.Length)
        {
            // Like a pipe: the unconsumed bytes of the first read stay in their segment, the new ones follow.
            buffer = Segments.Two(body[(int)consumed..firstEnd], body[firstEnd..]);
            status = Drain(decoder, ref buffer, data);
            consumed = body.Length - buffer.Length;
        }

        return Result(status, data, consumed, body.Length);
    }

    private static DecodeResult OneBuffer(ReadOnlySequence<byte> buffer)
    {
        var decoder = new ChunkedDecoder();
        decoder.Reset();
        var data = new List<byte>();
        var length = buffer.Length;
        var status = Drain(decoder, ref buffer, data);
        return Result(status, data, length - buffer.Length, length);
    }

    private static ChunkStatus Drain(ChunkedDecoder decoder, ref ReadOnlySequence<byte> buffer, List<byte> data)
    {
        while (true)
        {
            var before = buffer.Length;
            var status = decoder.Next(ref buffer, out var piece);
            if (buffer.Length > before)
            {
                throw new InvariantViolationException($"The decoder's buffer grew from {before} to {buffer.Length} bytes.");
            }

            if (status != ChunkStatus.Data)
            {
                return status;
            }

            if (piece.IsEmpty)
            {
                throw new InvariantViolationException("The decoder reported data but produced none.");
            }

            data.AddRange(piece.ToArray());
        }
    }

    private static DecodeResult Result(ChunkStatus status, List<byte> data, long consumed, long length)
    {
        if (consumed < 0 || consumed > length || data.Count > consumed)
        {
            throw new InvariantViolationException($"The decoder consumed {consumed} of {length} bytes and produced {data.Count} data bytes.");
        }

        return new DecodeResult(status, Convert.ToHexString([.. data]), consumed);
    }

    private static void AssertSame(DecodeResult expected, DecodeResult actual, string how)
    {
        if (expected != actual)
        {
            throw new InvariantViolationException($"Feeding the chunked body {how} changed the outcome.\nWhole: {expected}\nSplit: {actual}");
        }
    }
}
