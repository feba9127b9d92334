using System.Buffers;

namespace Gateway.Core.Sockets;

/// <summary>
/// Where a pipe reader over one contiguous buffer stands: the bytes from <see cref="Start"/> to <see cref="End"/> were
/// received and not yet consumed, those before <see cref="Examined"/> were looked at, and the positions the application
/// advances to refer to the sequence last handed out. Kept as a field of its reader and changed in place.
/// </summary>
internal struct ReadWindow
{
    private ReadOnlySequence<byte> _handedOut;

    /// <summary>Where the unconsumed bytes begin.</summary>
    public int Start { get; private set; }

    /// <summary>Where the received bytes end (the next receive goes here).</summary>
    public int End { get; private set; }

    /// <summary>Where the examined bytes end: a read with nothing past it must wait for more.</summary>
    public int Examined { get; private set; }

    /// <summary>Bytes received and not yet consumed.</summary>
    public readonly int Unconsumed => End - Start;

    /// <summary>True when bytes past what the application examined are there.</summary>
    public readonly bool HasUnexamined => End > Examined;

    /// <summary>The unconsumed bytes of <paramref name="buffer"/> as the sequence the application reads (empty without a buffer).</summary>
    public ReadOnlySequence<byte> HandOut(byte[]? buffer) =>
        _handedOut = buffer is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(buffer, Start, End - Start);

    /// <summary><paramref name="count"/> more bytes were received at <see cref="End"/>.</summary>
    public void Received(int count) => End += count;

    /// <summary>
    /// Moves to what the application consumed and notes what it examined (positions in the sequence last handed out); true
    /// when nothing unconsumed is left, and then every position is back at the buffer's start.
    /// </summary>
    public bool Advance(SequencePosition consumed, SequencePosition examined)
    {
        var origin = Start;
        Start = origin + (int)_handedOut.Slice(_handedOut.Start, consumed).Length;
        Examined = Math.Max(Start, origin + (int)_handedOut.Slice(_handedOut.Start, examined).Length);
        return ClearWhenConsumed();
    }

    /// <summary>Takes <paramref name="count"/> bytes off the front (read past the application); true when nothing unconsumed is left.</summary>
    public bool Consume(int count)
    {
        Start += count;
        return ClearWhenConsumed();
    }

    /// <summary>Every position back at the buffer's start: nothing received.</summary>
    public void Clear() => Start = End = Examined = 0;

    /// <summary>Copies the unconsumed bytes of <paramref name="buffer"/> to the front of <paramref name="destination"/> (the same array, or a larger one taking its place) and moves the positions with them.</summary>
    public void MoveToFront(byte[] buffer, byte[] destination)
    {
        buffer.AsSpan(Start, End - Start).CopyTo(destination);
        End -= Start;
        Examined -= Start;
        Start = 0;
    }

    private bool ClearWhenConsumed()
    {
        if (Start != End)
        {
            return false;
        }

        Clear();
        return true;
    }
}
