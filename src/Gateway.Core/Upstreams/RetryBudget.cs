namespace Gateway.Core.Upstreams;

/// <summary>
/// How many of a cluster's requests in flight may be retrying at once: a share of them, with a floor so a lone request can
/// always retry. A request takes a place at its first retry and keeps it to its end, so retries never multiply an outage.
/// </summary>
public sealed class RetryBudget(int percent, int minConcurrency)
{
    private int _active;

    /// <summary>Requests retrying now.</summary>
    public int Active => Volatile.Read(ref _active);

    /// <summary>Takes a place for a request's first retry, when the budget allows one more beside <paramref name="inFlight"/> requests; false when not.</summary>
    public bool TryEnter(int inFlight)
    {
        var limit = Math.Max(minConcurrency, (int)((long)inFlight * percent / 100));
        if (Interlocked.Increment(ref _active) <= limit)
        {
            return true;
        }

        Interlocked.Decrement(ref _active);
        return false;
    }

    /// <summary>Gives the place back at the end of the request.</summary>
    public void Exit() => Interlocked.Decrement(ref _active);
}
