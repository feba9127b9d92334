namespace Gateway.LoadTests.Load;

/// <summary>Caps the requests outstanding at once, so an open-model run against a stalled target cannot pile up without bound.</summary>
internal sealed class InFlightLimit(int capacity)
{
    private int _count;

    /// <summary>Requests outstanding now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The cap.</summary>
    public int Capacity => capacity;

    /// <summary>Takes a slot; false when all <see cref="Capacity"/> slots are taken.</summary>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _count) <= capacity)
        {
            return true;
        }

        Interlocked.Decrement(ref _count);
        return false;
    }

    /// <summary>Gives a slot back.</summary>
    public void Exit() => Interlocked.Decrement(ref _count);
}
