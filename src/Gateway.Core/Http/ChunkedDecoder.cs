using System.Buffers;

namespace Gateway.Core.Http;

/// <summary>What the next step of chunked decoding produced.</summary>
internal enum ChunkStatus
{
    /// <summary>Some body data was produced; call again with the rest of the buffer.</summary>
    Data,

    /// <summary>The buffer ran out in the middle of framing or data; read more.</summary>
    NeedMore,

    /// <summary>The last chunk and the trailer section were read; the body is complete.</summary>
    Done,

    /// <summary>The framing is malformed; answer 400 and close.</summary>
    Error,
}

/// <summary>
/// A strict RFC 9112 §7.1 chunked decoder that works in place over pipe buffers: it consumes framing bytes
/// and hands back slices of chunk data, so the body is streamed onward without copying. Trailer fields are
/// read and discarded (never merged into the header section).
/// </summary>
internal sealed class ChunkedDecoder
{
    /// <summary>Cap on the bytes of a chunk-size line after its first digit (more digits, whitespace, extensions).</summary>
    private const int MaxExtensionBytes = 4096;
    private const int MaxTrailerBytes = 32 * 1024;

    private State _state;
    private long _chunkRemaining;
    private int _counted;

    private enum State
    {
        SizeStart,
        Size,
        SizeWhitespace,
        Extension,
        SizeLineFeed,
        Data,
        DataCarriageReturn,
        DataLineFeed,
        TrailerLineStart,
        TrailerLine,
        TrailerLineFeed,
        FinalLineFeed,
        Done,
    }

    /// <summary>Prepares for a new body.</summary>
    public void Reset()
    {
        _state = State.SizeStart;
        _chunkRemaining = 0;
        _counted = 0;
    }

    /// <summary>
    /// Consumes framing from the front of <paramref name="buffer"/> and returns the next piece of chunk data in
    /// <paramref name="data"/>; <paramref name="buffer"/> is moved past everything consumed.
    /// </summary>
    public ChunkStatus Next(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> data)
    {
        data = default;
        var reader = new SequenceReader<byte>(buffer);
        var status = Step(ref reader, ref data);
        buffer = buffer.Slice(reader.Position);
        return status;
    }

    private ChunkStatus Step(ref SequenceReader<byte> reader, ref ReadOnlySequence<byte> data)
    {
        while (true)
        {
            if (_state == State.Data)
            {
                if (reader.End)
                {
                    return ChunkStatus.NeedMore;
                }

                var take = Math.Min(_chunkRemaining, reader.Remaining);
                data = reader.UnreadSequence.Slice(0, take);
                reader.Advance(take);
                _chunkRemaining -= take;
                _state = _chunkRemaining == 0 ? State.DataCarriageReturn : State.Data;
                return ChunkStatus.Data;
            }

            if (_state == State.Done)
            {
                return ChunkStatus.Done;
            }

            if (!reader.TryRead(out var b))
            {
                return ChunkStatus.NeedMore;
            }

            if (!Accept(b))
            {
                return ChunkStatus.Error;
            }
        }
    }

    private bool Accept(byte b)
    {
        switch (_state)
        {
            case State.SizeStart:
                _chunkRemaining = 0;
                _counted = 0;
                _state = State.Size;
                return AddHexDigit(b);
            case State.Size:
                return ++_counted <= MaxExtensionBytes && b switch
                {
                    (byte)'\r' => Move(State.SizeLineFeed),
                    (byte)';' => Move(State.Extension),
                    (byte)' ' or (byte)'\t' => Move(State.SizeWhitespace),
                    _ => AddHexDigit(b),
                };
            case State.SizeWhitespace:
                return ++_counted <= MaxExtensionBytes && b switch
                {
                    (byte)' ' or (byte)'\t' => true,
                    (byte)';' => Move(State.Extension),
                    _ => false,
                };
            case State.Extension:
                if (b == (byte)'\r')
                {
                    return Move(State.SizeLineFeed);
                }

                return ++_counted <= MaxExtensionBytes && (b == (byte)'\t' || (b >= 0x20 && b != 0x7F));
            case State.SizeLineFeed:
                _counted = 0;
                return b == (byte)'\n' && Move(_chunkRemaining == 0 ? State.TrailerLineStart : State.Data);
            case State.DataCarriageReturn:
                return b == (byte)'\r' && Move(State.DataLineFeed);
            case State.DataLineFeed:
                return b == (byte)'\n' && Move(State.SizeStart);
            case State.TrailerLineStart:
                if (b == (byte)'\r')
                {
                    return Move(State.FinalLineFeed);
                }

                _state = State.TrailerLine;
                return CountTrailerByte(b);
            case State.TrailerLine:
                return b == (byte)'\r' ? Move(State.TrailerLineFeed) : CountTrailerByte(b);
            case State.TrailerLineFeed:
                return b == (byte)'\n' && Move(State.TrailerLineStart);
            case State.FinalLineFeed:
                return b == (byte)'\n' && Move(State.Done);
            default:
                return false;
        }
    }

    private bool Move(State next)
    {
        _state = next;
        return true;
    }

    private bool AddHexDigit(byte b)
    {
        var digit = HexValue(b);
        if (digit < 0 || _chunkRemaining > (long.MaxValue >> 4))
        {
            return false;
        }

        _chunkRemaining = (_chunkRemaining << 4) | (uint)digit;
        return true;
    }

    private bool CountTrailerByte(byte b) => ++_counted <= MaxTrailerBytes && (b == (byte)'\t' || (b >= 0x20 && b != 0x7F));

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
