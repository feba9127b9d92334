using System.Buffers;
using System.Globalization;

namespace Gateway.Core.Http;

/// <summary>
/// The chunked transfer coding as the gateway writes it (RFC 9112 §7.1), toward clients and upstreams alike: a hex size
/// line before each chunk, CRLF after its data, and a last chunk with an empty trailer section.
/// </summary>
internal static class ChunkedEncoder
{
    /// <summary>Longest size line: 16 hex digits and CRLF.</summary>
    private const int MaxSizeLine = 18;

    /// <summary>What follows a chunk's data.</summary>
    public static ReadOnlySpan<byte> ChunkEnd => "\r\n"u8;

    /// <summary>The last chunk and the end of the (empty) trailer section.</summary>
    public static ReadOnlySpan<byte> LastChunk => "0\r\n\r\n"u8;

    /// <summary>Writes the size line of a chunk of <paramref name="length"/> bytes (more than zero); returns the bytes written.</summary>
    public static int WriteSizeLine(IBufferWriter<byte> output, long length)
    {
        var line = output.GetSpan(MaxSizeLine);
        length.TryFormat(line, out var written, "x", CultureInfo.InvariantCulture);
        line[written++] = (byte)'\r';
        line[written++] = (byte)'\n';
        output.Advance(written);
        return written;
    }
}
