using System.Buffers.Text;
using System.Text;

namespace Gateway.Core.Http;

/// <summary>
/// Header fields kept as ready-to-write lines (<c>Name: value\r\n</c>) in one reusable buffer, with the offsets of each
/// name and value so they can be read back. Adding allocates nothing once the buffer has grown to its working size.
/// </summary>
public sealed class FieldList : IFieldList
{
    private byte[] _buffer;
    private Range[] _names = [];
    private Range[] _values = [];
    private int _length;
    private int _valueStart = -1;

    /// <summary>An empty list with room for <paramref name="capacity"/> bytes of lines (none by default: the first field allocates).</summary>
    public FieldList(int capacity = 0) => _buffer = capacity == 0 ? [] : new byte[capacity];

    /// <inheritdoc/>
    public int Count { get; private set; }

    /// <summary>The complete field lines, CRLF included.</summary>
    public ReadOnlySpan<byte> Lines => _buffer.AsSpan(0, _length);

    /// <inheritdoc/>
    public ReadOnlySpan<byte> NameOf(int index) => _buffer.AsSpan(_names[index]);

    /// <inheritdoc/>
    public ReadOnlySpan<byte> ValueOf(int index) => _buffer.AsSpan(_values[index]);

    /// <summary>Forgets every field, keeping the buffers.</summary>
    public void Clear()
    {
        _length = 0;
        Count = 0;
        _valueStart = -1;
    }

    /// <summary>Adds the field <paramref name="name"/>: <paramref name="value"/>.</summary>
    public void Add(scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> value)
    {
        BeginField(name);
        AppendValue(value);
        EndField();
    }

    /// <summary>Adds a field whose value is a string of Latin-1 characters.</summary>
    public void Add(scoped ReadOnlySpan<byte> name, string value)
    {
        BeginField(name);
        Ensure(value.Length);
        _length += Encoding.Latin1.GetBytes(value, _buffer.AsSpan(_length));
        EndField();
    }

    /// <summary>Starts a field whose value is then appended in pieces; <see cref="EndField"/> finishes it.</summary>
    public void BeginField(scoped ReadOnlySpan<byte> name)
    {
        Ensure(name.Length + 2);
        if (Count == _names.Length)
        {
            Array.Resize(ref _names, Math.Max(Count * 2, 4));
            Array.Resize(ref _values, Math.Max(Count * 2, 4));
        }

        _names[Count] = new Range(_length, _length + name.Length);
        name.CopyTo(_buffer.AsSpan(_length));
        _length += name.Length;
        ": "u8.CopyTo(_buffer.AsSpan(_length));
        _length += 2;
        _valueStart = _length;
    }

    /// <summary>Appends bytes to the value of the field being built.</summary>
    public void AppendValue(scoped ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Appends a non-negative decimal number to the value of the field being built.</summary>
    public void AppendNumber(long value)
    {
        Ensure(20);
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_length), out var written);
        _length += written;
    }

    /// <summary>Finishes the field being built.</summary>
    public void EndField()
    {
        _values[Count++] = new Range(_valueStart, _length);
        Ensure(2);
        "\r\n"u8.CopyTo(_buffer.AsSpan(_length));
        _length += 2;
        _valueStart = -1;
    }

    private void Ensure(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(Math.Max(_buffer.Length * 2, 64), _length + count));
        }
    }
}
