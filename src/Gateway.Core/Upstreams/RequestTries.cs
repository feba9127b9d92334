namespace Gateway.Core.Upstreams;

/// <summary>
/// The tries of one request to a cluster, whatever carries them: the destination of the first, and after a failed try
/// whether there is a next and where. A connection that could not be opened fails over at once to each other available
/// destination once; otherwise the route's retries decide, after a backoff, on another destination when there is one.
/// Either takes a place in the cluster's retry budget (kept to the request's end), or is refused. Reused request after request.
/// </summary>
public sealed class RequestTries
{
    private readonly List<Destination> _tried = [];
    private Cluster _cluster = null!;
    private RetryPolicy? _retry;
    private ulong? _key;
    private bool _retrying;

    /// <summary>Tries made so far, the current one included.</summary>
    public int Count => _tried.Count;

    /// <summary>Starts the tries of a request hashed to <paramref name="key"/>, retried by <paramref name="retry"/> when it may be; returns the first destination.</summary>
    public Destination Start(Cluster cluster, RetryPolicy? retry, ulong? key)
    {
        (_cluster, _retry, _key, _retrying) = (cluster, retry, key, false);
        _tried.Clear();
        var first = cluster.Pick(key);
        _tried.Add(first);
        return first;
    }

    /// <summary>
    /// The destination of the next try after one failed with <paramref name="failure"/> (<paramref name="status"/> for
    /// <see cref="TryFailure.Status"/>), or null when there is none; <paramref name="refused"/> says the budget refused one.
    /// </summary>
    public Destination? Next(TryFailure failure, int status, out TimeSpan backoff, out bool refused)
    {
        backoff = TimeSpan.Zero;
        refused = false;
        var next = failure == TryFailure.Connect ? _cluster.PickUntried(_key, _tried) : null;
        if (next is null)
        {
            if (_retry is not { } retry || _tried.Count >= retry.Attempts || !Retries(retry, failure, status))
            {
                return null;
            }

            next = _cluster.PickUntried(_key, _tried) ?? _cluster.Pick(_key);
            backoff = retry.BackoffBefore(_tried.Count);
        }

        if (!_retrying && !(_retrying = _cluster.RetryBudget.TryEnter(_cluster.InFlight)))
        {
            refused = true;
            return null;
        }

        _tried.Add(next);
        return next;
    }

    /// <summary>Ends the request's tries, giving back its place in the retry budget.</summary>
    public void Finish()
    {
        if (_retrying)
        {
            _retrying = false;
            _cluster.RetryBudget.Exit();
        }
    }

    private static bool Retries(RetryPolicy retry, TryFailure failure, int status) => failure switch
    {
        TryFailure.Connect => retry.OnConnect,
        TryFailure.Reset => retry.OnReset,
        TryFailure.Timeout => retry.OnTimeout,
        TryFailure.Status => retry.OnStatus(status),
        _ => false,
    };
}
