using System.Buffers.Text;

namespace Gateway.Core.Http;

/// <summary>
/// Header lines that route policies add to the response (e.g. RateLimit), kept as ready bytes in a buffer the
/// connection reuses; the response writers copy them into the head.
/// </summary>
public sealed class ResponseFields
{
    private byte[] _buffer = new byte[256];
    private int _length;

    /// <summary>The complete header lines, CRLF included.</summary>
    public ReadOnlySpan<byte> Lines => _buffer.AsSpan(0, _length);

    /// <summary>Forgets the lines of the previous request.</summary>
    public void Clear() => _length = 0;

    /// <summary>Appends raw bytes (a name, a value piece, or a whole line).</summary>
    public void Append(scoped ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Appends a non-negative decimal number.</summary>
    public void AppendNumber(long value)
    {
        Ensure(20);
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_length), out var written);
        _length += written;
    }

    private void Ensure(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }
    }
}
