using System.Buffers;

namespace Gateway.Core.Tests.Http;

/// <summary>The feeding helpers really hand out multi-segment buffers holding the right bytes.</summary>
public class HarnessTests
{
    [Fact]
    public void SplitBuildsTwoSegments()
    {
        var bytes = "abcdef"u8.ToArray();

        var sequence = Sequences.Split(bytes, 2);

        Assert.False(sequence.IsSingleSegment);
        Assert.Equal(2, Segments(sequence));
        Assert.Equal(bytes, sequence.ToArray());
        Assert.Equal("cdef"u8.ToArray(), sequence.Slice(2).ToArray());
    }

    [Fact]
    public void OneBytePerSegmentBuildsASegmentPerByte()
    {
        var sequence = Sequences.OneBytePerSegment("abcdef"u8.ToArray());

        Assert.Equal(6, Segments(sequence));
        Assert.Equal("abcdef"u8.ToArray(), sequence.ToArray());
    }

    [Fact]
    public void GrowingSequenceAlwaysSpansFromTheFirstByte()
    {
        var growing = new GrowingSequence();
        var bytes = "abc"u8.ToArray();
        for (var i = 0; i < bytes.Length; i++)
        {
            growing.Append(bytes.AsMemory(i, 1));
            Assert.Equal(bytes[..(i + 1)], growing.Sequence.ToArray());
            Assert.Equal(i + 1, Segments(growing.Sequence));
        }
    }

    private static int Segments(ReadOnlySequence<byte> sequence)
    {
        var count = 0;
        foreach (var segment in sequence)
        {
            Assert.False(segment.IsEmpty);
            count++;
        }

        return count;
    }
}
