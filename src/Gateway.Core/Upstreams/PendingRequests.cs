namespace Gateway.Core.Upstreams;

/// <summary>The requests of one cluster waiting for a connection, capped: past the cap a request is refused at once, never queued.</summary>
public sealed class PendingRequests(int max)
{
    private int _count;

    /// <summary>Requests waiting now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Counts one more waiting request; false (and not counted) when the cap is reached.</summary>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _count) <= max)
        {
            return true;
        }

        Interlocked.Decrement(ref _count);
        return false;
    }

    /// <summary>Counts a waiting request as served.</summary>
    public void Exit() => Interlocked.Decrement(ref _count);
}
