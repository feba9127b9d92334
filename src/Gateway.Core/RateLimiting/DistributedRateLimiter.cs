using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Core.RateLimiting;

/// <summary>
/// Shares one budget per key across gateway instances: the key's GCRA bucket lives in the store (Redis), each
/// instance reserves permits from it in blocks and serves requests from them without a round trip. Block sizes adapt
/// per key (<see cref="BlockSizing"/>): the next block is reserved in the background while half the target is still
/// held, and the target covers 4 round trips at the key's recent rate, between <see cref="ColdBlockSize"/> and
/// <see cref="MaxBlockSize"/>, so a hot key's requests do not wait for Redis and a cold key holds little. A refusal
/// from the store is remembered until its retry time, so a limited client costs no round trips either.
/// </summary>
/// <remarks>
/// <para>
/// Bound: an instance holds at most max(<see cref="MaxBlockSize"/>, cost) unspent permits of a key, all of them
/// already taken from the shared bucket, and unspent permits are never returned. Over any window, the instances
/// together admit at most the exact GCRA count of the rule (capacity + window / emission interval) plus
/// instances × max(MaxBlockSize, cost); a client asking for more than the limit all along is held at most that
/// many permits below what the shared bucket gives out (the permits other instances still hold). MaxBlockSize is max(1, min(Permits,
/// Capacity) / 100): 1% of the rule per instance; 1 is exact. Held permits are dropped once the shared bucket would be
/// full again, and past <c>maxKeys</c> keys with held permits, requests for other keys reserve exactly their cost
/// from the store (no local memory, no overshoot).
/// </para>
/// <para>
/// When the store fails (connection lost, timeout) the limiter is <see cref="Degraded"/>:
/// <see cref="RedisFailureMode.FailOpen"/> answers from a <see cref="LocalRateLimiter"/> with this instance's share of
/// the rule (<see cref="RateLimitRule.ShareOf"/> the store's <see cref="IRedisRateStore.InstanceCount"/>), so the
/// instances cut off together admit about the rule, not the rule each; those admissions never reach the store.
/// <see cref="RedisFailureMode.FailClosed"/> denies with <see cref="RateLimitDecision.StoreUnavailable"/>.
/// Requests do not touch the store meanwhile: a timer pings it every retry interval, off the request path, and ends
/// the degraded mode when it answers. Both switches are logged; <see cref="DegradedDecisions"/> counts the decisions
/// made meanwhile. The store is not owned: dispose it after the limiters that use it.
/// </para>
/// <para>
/// The share is fixed on entering the degraded mode, from the instance count the store learned when it last answered
/// (1 for an instance that never reached it, which then admits the whole rule). A count that changes while degraded
/// applies from the next degraded episode; while it stays the same, the local buckets carry over from one episode to
/// the next.
/// </para>
/// </remarks>
public sealed class DistributedRateLimiter : IAsyncDisposable
{
    private readonly RateLimitRule _rule;
    private readonly IRedisRateStore _store;
    private readonly TimeProvider _clock;
    private readonly long _origin;
    private readonly TimeSpan _retryInterval;
    private readonly RedisFailureMode _failureMode;
    private readonly ILogger _logger;
    private readonly int _maxKeys;
    private readonly BlockSizing _sizing;
    private readonly RoundTripEstimate _roundTrip = new();
    private readonly Lock _degrading = new();
    private readonly ConcurrentDictionary<string, RedisLease> _leases = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RedisLease>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly ITimer _timer;
    private LocalRateLimiter? _fallback;
    private int _fallbackInstances;
    private int _leaseCount;
    private int _degraded;
    private int _probing;
    private long _degradedDecisions;

    /// <summary>
    /// Limits each key by <paramref name="rule"/> across every instance that uses the same <paramref name="store"/>.
    /// A cold key reserves at most <paramref name="coldBlockLimit"/> permits per round trip.
    /// <paramref name="retryInterval"/> (default 1 second) is how often a degraded limiter pings the store; it also
    /// paces the sweep of stale leases.
    /// </summary>
    public DistributedRateLimiter(
        RateLimitRule rule,
        IRedisRateStore store,
        TimeProvider clock,
        RedisFailureMode failureMode,
        int coldBlockLimit = 100,
        TimeSpan? retryInterval = null,
        ILogger? logger = null,
        int maxKeys = 100_000)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(coldBlockLimit);
        ArgumentOutOfRangeException.ThrowIfNegative(maxKeys);
        _retryInterval = retryInterval ?? TimeSpan.FromSeconds(1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_retryInterval, TimeSpan.Zero, nameof(retryInterval));
        _rule = rule;
        _store = store;
        _clock = clock;
        _origin = clock.GetTimestamp();
        _failureMode = failureMode;
        _logger = logger ?? NullLogger.Instance;
        _maxKeys = maxKeys;
        _sizing = BlockSizing.For(rule, coldBlockLimit);
        _lookup = _leases.GetAlternateLookup<ReadOnlySpan<char>>();
        _timer = clock.CreateTimer(static state => ((DistributedRateLimiter)state!).Tick(), this, _retryInterval, _retryInterval);
    }

    /// <summary>The most permits a cold key holds: min(coldBlockLimit, <see cref="MaxBlockSize"/>).</summary>
    public long ColdBlockSize => _sizing.Cold;

    /// <summary>The most permits a key holds however hot: 1% of the rule (of the smaller of permits and capacity), at least 1.</summary>
    public long MaxBlockSize => _sizing.Max;

    /// <summary>True while the store is unreachable and decisions follow the failure mode.</summary>
    public bool Degraded => Volatile.Read(ref _degraded) != 0;

    /// <summary>Decisions made while <see cref="Degraded"/>.</summary>
    public long DegradedDecisions => Interlocked.Read(ref _degradedDecisions);

    /// <summary>
    /// Takes <paramref name="cost"/> permits (between 1 and the rule's capacity) from <paramref name="key"/>'s shared
    /// budget, if it has them. Completes at once while the key's block holds the permits; waits for the store only
    /// when it does not. Allocates nothing for a key that holds a block, except to reserve the next one.
    /// </summary>
    public ValueTask<RateLimitDecision> AcquireAsync(ReadOnlySpan<char> key, int cost = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cost);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cost, _rule.Capacity);
        if (Degraded)
        {
            return new(DecideDegraded(key, cost));
        }

        var lease = Find(key);
        if (lease is null)
        {
            return ReserveExactlyAsync(key.ToString(), cost, cancellationToken);
        }

        if (!lease.TryServe(cost, Now(), _rule.Capacity, out var decision))
        {
            return WaitForPermitsAsync(lease, cost, cancellationToken);
        }

        if (decision.Allowed && lease.RunningLow && lease.Refill is null)
        {
            _ = StartRefill(lease, 1);
        }

        return new(decision);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync().ConfigureAwait(false);
        _fallback?.Dispose();
    }

    /// <summary>Waits for the reservation under way (or starts one) until the lease can answer.</summary>
    private async ValueTask<RateLimitDecision> WaitForPermitsAsync(RedisLease lease, int cost, CancellationToken cancellationToken)
    {
        while (!Degraded)
        {
            if (lease.TryServe(cost, Now(), _rule.Capacity, out var decision))
            {
                return decision;
            }

            await (lease.Refill ?? StartRefill(lease, cost)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return DecideDegraded(lease.Key, cost);
    }

    /// <summary>
    /// Starts reserving the next block of <paramref name="lease"/> unless a reservation is already under way (one per
    /// key at a time: only it adds permits, requests only take them); returns the reservation under way. A single
    /// request waiting for it resumes on the thread that completes it; several are queued to the thread pool.
    /// </summary>
    private Task StartRefill(RedisLease lease, int cost)
    {
        var done = new TaskCompletionSource();
        if (lease.TryBeginRefill(done.Task, out var running))
        {
            _ = RefillAsync(lease, cost, done);
        }

        return running;
    }

    /// <summary>Tops the lease up to its target (and to at least <paramref name="cost"/>) when it holds less than either.</summary>
    private async Task RefillAsync(RedisLease lease, int cost, TaskCompletionSource done)
    {
        try
        {
            var target = Math.Max(lease.Plan(Now(), _roundTrip.Current, _sizing), cost);
            var held = lease.Held;
            if ((held < cost || held < target / 2)
                && await TryReserveAsync(lease.Key, target - held, Math.Max(1, cost - held), CancellationToken.None).ConfigureAwait(false) is { } taken)
            {
                lease.Record(taken, Now());
            }
        }
        finally
        {
            lease.EndRefill();
            done.SetResult();
        }
    }

    private async ValueTask<RateLimitDecision> ReserveExactlyAsync(string key, int cost, CancellationToken cancellationToken)
    {
        var reservation = await TryReserveAsync(key, cost, cost, cancellationToken).ConfigureAwait(false);
        return reservation is { } taken
            ? new(taken.Granted > 0, _rule.Capacity, taken.Remaining, taken.ResetAfter, taken.RetryAfter)
            : DecideDegraded(key, cost);
    }

    private async ValueTask<RateReservation?> TryReserveAsync(string key, long want, long need, CancellationToken cancellationToken)
    {
        try
        {
            var sent = _clock.GetTimestamp();
            var reservation = await _store.ReserveAsync(key, _rule, want, need, cancellationToken).ConfigureAwait(false);
            _roundTrip.Observe(_clock.GetElapsedTime(sent));
            return reservation;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            Degrade(exception);
            return null;
        }
    }

    /// <summary>
    /// Enters the degraded mode unless already in it. A fail-open limiter first makes its fallback for this instance's
    /// share of the rule (keeping the one it has when the instance count is the same), so no request finds the mode
    /// without it. The lock is taken only when a store call fails, never on the healthy path.
    /// </summary>
    private void Degrade(Exception exception)
    {
        lock (_degrading)
        {
            if (Degraded)
            {
                return;
            }

            var instances = _store.InstanceCount;
            if (_failureMode == RedisFailureMode.FailOpen && instances != _fallbackInstances)
            {
                // A request still deciding on the old fallback finishes there: disposing it only stops its sweeper.
                _fallback?.Dispose();
                _fallback = new LocalRateLimiter(_rule.ShareOf(instances), _clock, _maxKeys);
                _fallbackInstances = instances;
            }

            Volatile.Write(ref _degraded, 1);
        }

        RateLimitingLog.StoreUnavailable(_logger, exception.GetBaseException().Message, _failureMode);
    }

    private RateLimitDecision DecideDegraded(ReadOnlySpan<char> key, int cost)
    {
        Interlocked.Increment(ref _degradedDecisions);
        return _fallback?.Acquire(key, cost)
            ?? new(false, _rule.Capacity, 0, TimeSpan.Zero, _retryInterval, StoreUnavailable: true);
    }

    private RedisLease? Find(ReadOnlySpan<char> key)
    {
        if (_lookup.TryGetValue(key, out var lease))
        {
            return lease;
        }

        if (Interlocked.Increment(ref _leaseCount) > _maxKeys)
        {
            Interlocked.Decrement(ref _leaseCount);
            return null;
        }

        var created = new RedisLease(key.ToString(), _sizing.Cold);
        var registered = _leases.GetOrAdd(created.Key, created);
        if (!ReferenceEquals(registered, created))
        {
            Interlocked.Decrement(ref _leaseCount);
        }

        return registered;
    }

    private TimeSpan Now() => _clock.GetElapsedTime(_origin);

    private void Tick()
    {
        if (Degraded)
        {
            _ = ProbeAsync();
        }

        var now = Now();
        foreach (var (key, lease) in _leases)
        {
            if (lease.IsIdle(now) && _leases.TryRemove(new KeyValuePair<string, RedisLease>(key, lease)))
            {
                Interlocked.Decrement(ref _leaseCount);
            }
        }
    }

    private async Task ProbeAsync()
    {
        if (Interlocked.Exchange(ref _probing, 1) != 0)
        {
            return;
        }

        try
        {
            await _store.PingAsync(CancellationToken.None).ConfigureAwait(false);
            if (Interlocked.Exchange(ref _degraded, 0) != 0)
            {
                RateLimitingLog.StoreRecovered(_logger, DegradedDecisions);
            }
        }
        catch (Exception)
        {
            // Still unreachable: the next tick pings again.
        }
        finally
        {
            Volatile.Write(ref _probing, 0);
        }
    }
}
