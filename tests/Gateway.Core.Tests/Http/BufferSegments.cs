using System.Buffers;

namespace Gateway.Core.Tests.Http;

/// <summary>One link of a hand-built <see cref="ReadOnlySequence{T}"/>, so tests can feed real multi-segment buffers.</summary>
internal sealed class BufferSegment : ReadOnlySequenceSegment<byte>
{
    public BufferSegment(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>Links a new segment after this one and returns it.</summary>
    public BufferSegment Append(ReadOnlyMemory<byte> memory)
    {
        var next = new BufferSegment(memory, RunningIndex + Memory.Length);
        Next = next;
        return next;
    }
}

/// <summary>Builds byte sequences the way a pipe hands them out: one or several segments.</summary>
internal static class Sequences
{
    /// <summary>A sequence of the given parts, one segment each (a single part gives a single-segment sequence).</summary>
    public static ReadOnlySequence<byte> Of(params ReadOnlyMemory<byte>[] parts)
    {
        if (parts.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        if (parts.Length == 1)
        {
            return new ReadOnlySequence<byte>(parts[0]);
        }

        var first = new BufferSegment(parts[0], 0);
        var last = first;
        foreach (var part in parts.AsSpan(1))
        {
            last = last.Append(part);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>The bytes split into two segments at <paramref name="at"/>.</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, int at) => Of(bytes.AsMemory(0, at), bytes.AsMemory(at));

    /// <summary>The bytes with every byte in a segment of its own (the most fragmented buffer a pipe could give).</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(ReadOnlyMemory<byte> bytes)
    {
        var parts = new ReadOnlyMemory<byte>[bytes.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = bytes.Slice(i, 1);
        }

        return Of(parts);
    }
}

/// <summary>
/// A buffer that grows at its end like a pipe's unconsumed bytes: each <see cref="Append"/> links a new segment,
/// and <see cref="Sequence"/> always spans everything from the first byte.
/// </summary>
internal sealed class GrowingSequence
{
    private BufferSegment? _first;
    private BufferSegment? _last;

    public ReadOnlySequence<byte> Sequence =>
        _first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(_first, 0, _last!, _last!.Memory.Length);

    public void Append(ReadOnlyMemory<byte> bytes)
    {
        if (_last is null)
        {
            _first = _last = new BufferSegment(bytes, 0);
        }
        else
        {
            _last = _last.Append(bytes);
        }
    }
}
