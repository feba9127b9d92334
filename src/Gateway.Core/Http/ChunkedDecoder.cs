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
/// read and discarded (never merged into the header section), or kept as their lines for a reader that relays them
/// (<see cref="KeepTrailers"/>).
/// </summary>
internal sealed class ChunkedDecoder
{
    /// <summary>Cap on the bytes of a chunk-size line after its first digit (more digits, whitespace, extensions).</summary>
    private const int MaxExtensionBytes = 4096;
    private const int MaxTrailerBytes = 32 * 1024;

    private State _state;
    private long _chunkRemaining;
    private int _counted;
    private ArrayBufferWriter<byte>? _trailers;

    private enum State
    {
        SizeStart,
        Size,
        SizeWhitespace,
        ExtensionNameStart,
        ExtensionName,
        ExtensionNameWhitespace,
        ExtensionValueStart,
        ExtensionToken,
        ExtensionQuoted,
        ExtensionQuotedPair,
        ExtensionQuoteEnd,
        ExtensionValueWhitespace,
        SizeLineFeed,
        Data,
        DataCarriageReturn,
        DataLineFeed,
        TrailerLineStart,
        TrailerName,
        TrailerValue,
        TrailerLineFeed,
        FinalLineFeed,
        Done,
    }

    /// <summary>True to keep the trailer section's field lines (read through <see cref="Trailers"/>) rather than discard them.</summary>
    public bool KeepTrailers { get; init; }

    /// <summary>The trailer field lines of the body just decoded (each ending in CRLF), when <see cref="KeepTrailers"/>; empty when it had none.</summary>
    public ReadOnlySpan<byte> Trailers => _trailers is null ? default : _trailers.WrittenSpan;

    /// <summary>Prepares for a new body.</summary>
    public void Reset()
    {
        _state = State.SizeStart;
        _chunkRemaining = 0;
        _counted = 0;
        _trailers?.ResetWrittenCount();
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
                    (byte)';' => Move(State.ExtensionNameStart),
                    (byte)' ' or (byte)'\t' => Move(State.SizeWhitespace),
                    _ => AddHexDigit(b),
                };
            case State.SizeWhitespace:
                return ++_counted <= MaxExtensionBytes && b switch
                {
                    (byte)' ' or (byte)'\t' => true,
                    (byte)';' => Move(State.ExtensionNameStart),
                    _ => false,
                };
            case >= State.ExtensionNameStart and <= State.ExtensionValueWhitespace:
                if (b == (byte)'\r' && _state is State.ExtensionName or State.ExtensionToken or State.ExtensionQuoteEnd)
                {
                    return Move(State.SizeLineFeed);
                }

                return ++_counted <= MaxExtensionBytes && AcceptExtension(b);
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

                // A trailer line is a field line (RFC 9112 §7.1.2, §5): token ":" value; no obs-fold, no empty name.
                return ++_counted <= MaxTrailerBytes && HttpSyntax.TokenChars.Contains(b) && Move(State.TrailerName) && Keep(b);
            case State.TrailerName:
                return ++_counted <= MaxTrailerBytes && (b == (byte)':' ? Move(State.TrailerValue) : HttpSyntax.TokenChars.Contains(b)) && Keep(b);
            case State.TrailerValue:
                return (b == (byte)'\r' ? Move(State.TrailerLineFeed) : CountTrailerByte(b)) && Keep(b);
            case State.TrailerLineFeed:
                return b == (byte)'\n' && Move(State.TrailerLineStart) && Keep(b);
            case State.FinalLineFeed:
                return b == (byte)'\n' && Move(State.Done);
            default:
                return false;
        }
    }

    /// <summary>
    /// One byte of a chunk extension (RFC 9112 §7.1.1): <c>*( BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] )</c>.
    /// The line may end (CR) only right after a name, a token value or a closing quote, so a bare ";", a dangling "=",
    /// whitespace before the CR and an unclosed quote are all errors.
    /// </summary>
    private bool AcceptExtension(byte b)
    {
        var whitespace = b is (byte)' ' or (byte)'\t';
        var token = HttpSyntax.TokenChars.Contains(b);
        switch (_state)
        {
            case State.ExtensionNameStart:
                return whitespace || (token && Move(State.ExtensionName));
            case State.ExtensionName:
            case State.ExtensionNameWhitespace:
                return b switch
                {
                    (byte)';' => Move(State.ExtensionNameStart),
                    (byte)'=' => Move(State.ExtensionValueStart),
                    _ when whitespace => Move(State.ExtensionNameWhitespace),
                    _ => token && _state == State.ExtensionName,
                };
            case State.ExtensionValueStart:
                return whitespace || (b == (byte)'"' ? Move(State.ExtensionQuoted) : token && Move(State.ExtensionToken));
            case State.ExtensionToken:
            case State.ExtensionQuoteEnd:
            case State.ExtensionValueWhitespace:
                return b switch
                {
                    (byte)';' => Move(State.ExtensionNameStart),
                    _ when whitespace => Move(State.ExtensionValueWhitespace),
                    _ => token && _state == State.ExtensionToken,
                };
            case State.ExtensionQuoted:
                // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
                return b switch
                {
                    (byte)'"' => Move(State.ExtensionQuoteEnd),
                    (byte)'\\' => Move(State.ExtensionQuotedPair),
                    _ => whitespace || (b >= 0x21 && b != 0x7F),
                };
            default:
                // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
                return (whitespace || (b >= 0x21 && b != 0x7F)) && Move(State.ExtensionQuoted);
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

    /// <summary>Keeps one byte of a trailer field line when trailers are kept; always true.</summary>
    private bool Keep(byte b)
    {
        if (KeepTrailers)
        {
            _trailers ??= new ArrayBufferWriter<byte>(256);
            _trailers.Write([b]);
        }

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
