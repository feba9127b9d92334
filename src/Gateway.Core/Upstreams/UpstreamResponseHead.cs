using System.Buffers;
using Gateway.Core.Http;

namespace Gateway.Core.Upstreams;

/// <summary>What <see cref="UpstreamResponseHead.TryParse"/> found.</summary>
internal enum ResponseHeadStatus
{
    /// <summary>The head is complete and valid.</summary>
    Complete,

    /// <summary>The head has not fully arrived yet.</summary>
    NeedMore,

    /// <summary>The head is malformed, too large, or frames its body ambiguously: it must not be relayed.</summary>
    Malformed,
}

/// <summary>
/// An upstream response head, parsed strictly (RFC 9112) from bytes copied into a buffer rented from the shared pool by
/// the first head and kept until it is disposed (the forwarder's lives in the pooled request machinery): the status, the fields as offsets, and the body framing. Anything a recipient could frame two ways (Content-Length with
/// Transfer-Encoding, differing lengths, a coding other than chunked) is refused rather than guessed at.
/// </summary>
internal sealed partial class UpstreamResponseHead : IFieldList, IDisposable
{
    /// <summary>Largest response head accepted.</summary>
    public const int MaxHeadBytes = 64 * 1024;

    private const int MaxFields = 256;

    private const int InitialBufferSize = 4096;
    private const int InitialFieldCount = 16;

    private HeaderField[] _fields = [];
    private Range[] _connectionTokens = [];
    private int _connectionTokenCount;

    /// <summary>The head bytes (status line, field lines, final CRLF).</summary>
    public byte[] Buffer { get; private set; } = [];

    /// <summary>Number of field lines.</summary>
    public int FieldCount { get; private set; }

    /// <inheritdoc/>
    int IFieldList.Count => FieldCount;

    /// <summary>The status code.</summary>
    public int Status { get; private set; }

    /// <summary>The reason phrase bytes (may be empty).</summary>
    public ReadOnlySpan<byte> Reason => Buffer.AsSpan(_reason);

    /// <summary>True when the upstream spoke HTTP/1.0.</summary>
    public bool Http10 { get; private set; }

    /// <summary>The declared body length, or -1.</summary>
    public long ContentLength { get; private set; }

    /// <summary>True when the body is chunked.</summary>
    public bool Chunked { get; private set; }

    /// <summary>True when the upstream allows another request on this connection after the response.</summary>
    public bool KeepAlive { get; private set; }

    /// <summary>
    /// Set before parsing when the request asked for a WebSocket upgrade: a 101 is then accepted when it names exactly
    /// <c>Upgrade: websocket</c> (and refused otherwise, as is any 101 to a request that asked for none).
    /// </summary>
    public bool UpgradeRequested { get; set; }

    /// <summary>The bytes the head took in the input, including the final CRLF.</summary>
    public int Length { get; private set; }

    /// <summary>Why the head was refused (it completes "the upstream's response was refused: ..."); null when it was not.</summary>
    public string? Problem { get; private set; }

    private Range _reason;

    /// <summary>The name bytes of field <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> NameOf(int index) => Buffer.AsSpan(_fields[index].NameStart, _fields[index].NameLength);

    /// <summary>The value bytes of field <paramref name="index"/> (surrounding whitespace trimmed).</summary>
    public ReadOnlySpan<byte> ValueOf(int index) => Buffer.AsSpan(_fields[index].ValueStart, _fields[index].ValueLength);

    /// <summary>True when field <paramref name="index"/> is relayed to the client as it is (not hop-by-hop, not rewritten by the gateway).</summary>
    public bool IsRelayed(int index) => !_fields[index].HopByHop;

    /// <summary>True when field <paramref name="index"/> is a Via line, which the gateway extends.</summary>
    public bool IsVia(int index) => _fields[index].Known == KnownHeader.Via;

    /// <summary>Parses the head at the start of <paramref name="input"/>.</summary>
    public ResponseHeadStatus TryParse(ReadOnlySequence<byte> input)
    {
        var length = HeadLength(input);
        if (length < 0)
        {
            return input.Length > MaxHeadBytes ? Refuse("the response head is larger than 64 KiB")
                : HasBareLineFeed(input) ? Refuse("a line of the response head ends in a bare LF")
                : ResponseHeadStatus.NeedMore;
        }

        if (length > MaxHeadBytes)
        {
            return Refuse("the response head is larger than 64 KiB");
        }

        if (Buffer.Length < length)
        {
            ReturnBuffer();
            Buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, InitialBufferSize));
        }

        input.Slice(0, length).CopyTo(Buffer);
        Length = length;
        return Parse(Buffer.AsSpan(0, length));
    }

    /// <summary>Forgets the head and gives its buffers back to the shared pools.</summary>
    public void Dispose()
    {
        FieldCount = 0;
        ReturnBuffer();
        if (_fields.Length > 0)
        {
            ArrayPool<HeaderField>.Shared.Return(_fields);
            _fields = [];
        }
    }

    private void ReturnBuffer()
    {
        if (Buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(Buffer);
            Buffer = [];
        }
    }

    /// <summary>The length of the head up to and including its empty line, or -1 when it has not all arrived.</summary>
    private static int HeadLength(in ReadOnlySequence<byte> input)
    {
        if (input.IsSingleSegment)
        {
            var end = input.FirstSpan.IndexOf("\r\n\r\n"u8);
            return end < 0 ? -1 : end + 4;
        }

        var reader = new SequenceReader<byte>(input);
        return reader.TryReadTo(out ReadOnlySequence<byte> _, "\r\n\r\n"u8, advancePastDelimiter: true) ? (int)Math.Min(reader.Consumed, int.MaxValue) : -1;
    }

    /// <summary>True when a line so far ends in LF without CR: such a head would never show the CRLF CRLF it is waited for.</summary>
    private static bool HasBareLineFeed(ReadOnlySequence<byte> input)
    {
        var reader = new SequenceReader<byte>(input);
        while (reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
        {
            if (line.IsEmpty || line.Slice(line.Length - 1).FirstSpan[0] != '\r')
            {
                return true;
            }
        }

        return false;
    }

    private ResponseHeadStatus Refuse(string problem)
    {
        Problem = problem;
        return ResponseHeadStatus.Malformed;
    }

    private int AddField()
    {
        if (FieldCount == _fields.Length)
        {
            var larger = ArrayPool<HeaderField>.Shared.Rent(Math.Max(_fields.Length * 2, InitialFieldCount));
            _fields.AsSpan().CopyTo(larger);
            if (_fields.Length > 0)
            {
                ArrayPool<HeaderField>.Shared.Return(_fields);
            }

            _fields = larger;
        }

        _fields[FieldCount] = default;
        return FieldCount++;
    }

    private void AddConnectionToken(Range token)
    {
        if (_connectionTokenCount == _connectionTokens.Length)
        {
            Array.Resize(ref _connectionTokens, Math.Max(_connectionTokens.Length * 2, 4));
        }

        _connectionTokens[_connectionTokenCount++] = token;
    }
}
