using System.Buffers;

namespace Gateway.Benchmarks;

/// <summary>A segment of a multi-segment <see cref="ReadOnlySequence{T}"/>, as a pipe hands over a read that spans buffers.</summary>
internal sealed class BufferSegment : ReadOnlySequenceSegment<byte>
{
    private BufferSegment(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>Splits <paramref name="bytes"/> at <paramref name="cuts"/> (ascending offsets) into one sequence of separate segments.</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, params int[] cuts)
    {
        var first = new BufferSegment(Copy(bytes, 0, cuts[0]), 0);
        var last = first;
        var start = cuts[0];
        for (var i = 1; i <= cuts.Length; i++)
        {
            var end = i < cuts.Length ? cuts[i] : bytes.Length;
            var next = new BufferSegment(Copy(bytes, start, end), start);
            last.Next = next;
            last = next;
            start = end;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    // Each segment gets its own array, as separate pipe buffers would.
    private static byte[] Copy(byte[] bytes, int start, int end) => bytes.AsSpan(start, end - start).ToArray();
}
