using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;

namespace Gateway.Core.Http;

/// <summary>Writes a response head (ASCII/Latin-1 text) straight into a <see cref="PipeWriter"/>'s memory, without a flush.</summary>
internal ref struct HeadWriter(PipeWriter writer)
{
    private Span<byte> _span = writer.GetSpan(1024);
    private int _written;
    private long _committed;

    /// <summary>Bytes written so far.</summary>
    public readonly long Total => _committed + _written;

    /// <summary>Writes raw bytes.</summary>
    public void Write(scoped ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_span[_written..]);
        _written += bytes.Length;
    }

    /// <summary>Writes a string as Latin-1 (one byte per char; chars above 0xFF become '?').</summary>
    public void WriteLatin1(string text)
    {
        Ensure(text.Length);
        var target = _span[_written..];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            target[i] = c <= 0xFF ? (byte)c : (byte)'?';
        }

        _written += text.Length;
    }

    /// <summary>Writes a non-negative decimal number.</summary>
    public void WriteDecimal(long value)
    {
        Ensure(20);
        Utf8Formatter.TryFormat(value, _span[_written..], out var length);
        _written += length;
    }

    /// <summary>Hands the written bytes to the pipe (still unflushed).</summary>
    public readonly void Commit() => writer.Advance(_written);

    private void Ensure(int count)
    {
        if (_span.Length - _written >= count)
        {
            return;
        }

        writer.Advance(_written);
        _committed += _written;
        _span = writer.GetSpan(count);
        _written = 0;
    }
}
