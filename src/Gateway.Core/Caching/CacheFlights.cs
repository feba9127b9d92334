using System.Collections.Concurrent;

namespace Gateway.Core.Caching;

/// <summary>
/// Request coalescing: the one request fetching a key from the upstream, which the others asking for the key meanwhile
/// wait for (bounded) instead of going upstream too. The fetch's end says whether it stored an entry; the waiters then look
/// again, and find it or go upstream themselves, so no one is ever handed another client's unstored answer.
/// </summary>
internal sealed class CacheFlights
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _flights = new(StringComparer.Ordinal);

    /// <summary>Makes the caller the one fetching <paramref name="key"/> (true, with the flight to finish), or gives the fetch under way to wait for.</summary>
    public bool TryLead(string key, out TaskCompletionSource flight)
    {
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        flight = _flights.GetOrAdd(key, mine);
        return flight == mine;
    }

    /// <summary>Ends the fetch of <paramref name="key"/>: its waiters look again.</summary>
    public void Finish(string key, TaskCompletionSource flight)
    {
        _flights.TryRemove(new KeyValuePair<string, TaskCompletionSource>(key, flight));
        flight.TrySetResult();
    }
}
