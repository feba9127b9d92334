using System.Buffers;

namespace Gateway.Fuzz;

/// <summary>Builds the buffers a pipe could hand out for the same bytes: one segment, or two.</summary>
internal static class Segments
{
    /// <summary>The bytes as one segment.</summary>
    public static ReadOnlySequence<byte> One(ReadOnlyMemory<byte> bytes) => new(bytes);

    /// <summary>Two segments, <paramref name="first"/> then <paramref name="second"/> (one when the first is empty).</summary>
    public static ReadOnlySequence<byte> Two(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second)
    {
        if (first.IsEmpty)
        {
            return new ReadOnlySequence<byte>(second);
        }

        var head = new Segment(first, 0);
        var tail = new Segment(second, first.Length);
        head.SetNext(tail);
        return new ReadOnlySequence<byte>(head, 0, tail, second.Length);
    }

    /// <summary>
    /// Where to cut <paramref name="bytes"/> in two: a point derived from the bytes themselves (1 .. length-1, or 0 for
    /// fewer than two bytes), so the fuzzer steers the cut and a saved input always replays the same cut.
    /// </summary>
    public static int SplitPoint(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 2)
        {
            return 0;
        }

        var hash = 17u;
        foreach (var b in bytes)
        {
            hash = unchecked((hash * 31) + b);
        }

        return 1 + (int)(hash % (uint)(bytes.Length - 1));
    }

    /// <summary>One link of a two-segment sequence.</summary>
    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
