using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Core.RateLimiting;

/// <summary>
/// Shares one budget per key across gateway instances: the key's GCRA bucket lives in the store (Redis), each
/// instance reserves permits from it in blocks of up to <see cref="BatchSize"/> (topped up in the background once half is spent), and serves
/// requests from the block without a round trip until it is spent. A refusal from the store is remembered until its
/// retry time, so a limited client costs no round trips either.
/// </summary>
/// <remarks>
/// <para>
/// Overshoot bound: an instance holds at most max(<see cref="BatchSize"/>, cost) unspent permits of a key, all of
/// them already taken from the shared bucket. Over any window, the instances together admit at most the exact GCRA
/// count of the rule (capacity + window / emission interval) plus instances × max(BatchSize, cost). BatchSize is
/// min(batchSize, max(1, min(Permits, Capacity) / 100)): about 1% of the rule per instance; BatchSize 1 is exact.
/// Held permits are dropped once the shared bucket would be full again, and past <c>maxKeys</c> keys with held
/// permits, requests for other keys reserve exactly their cost from the store (no local memory, no overshoot).
/// </para>
/// <para>
/// When the store fails (connection lost, timeout) the limiter is <see cref="Degraded"/>:
/// <see cref="RedisFailureMode.FailOpen"/> answers from a <see cref="LocalRateLimiter"/> with the same rule (each
/// instance then admits up to the whole rule on its own, and those admissions never reach the store),
/// <see cref="RedisFailureMode.FailClosed"/> denies with <see cref="RateLimitDecision.StoreUnavailable"/>.
/// Requests do not touch the store meanwhile: a timer pings it every retry interval, off the request path, and ends
/// the degraded mode when it answers. Both switches are logged; <see cref="DegradedDecisions"/> counts the decisions
/// made meanwhile. The store is not owned: dispose it after the limiters that use it.
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
    private readonly LocalRateLimiter? _fallback;
    private readonly ConcurrentDictionary<string, RedisLease> _leases = new(StringComparer.Ordinal);
    private readonly ITimer _timer;
    private int _leaseCount;
    private int _degraded;
    private int _probing;
    private long _degradedDecisions;

    /// <summary>
    /// Limits each key by <paramref name="rule"/> across every instance that uses the same <paramref name="store"/>.
    /// <paramref name="retryInterval"/> (default 1 second) is how often a degraded limiter pings the store; it also
    /// paces the sweep of stale leases.
    /// </summary>
    public DistributedRateLimiter(
        RateLimitRule rule,
        IRedisRateStore store,
        TimeProvider clock,
        RedisFailureMode failureMode,
        int batchSize = 100,
        TimeSpan? retryInterval = null,
        ILogger? logger = null,
        int maxKeys = 100_000)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
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
        _fallback = failureMode == RedisFailureMode.FailOpen ? new LocalRateLimiter(rule, clock, maxKeys) : null;
        BatchSize = (int)Math.Clamp(Math.Min(rule.Permits, rule.Capacity) / 100, 1, batchSize);
        _timer = clock.CreateTimer(static state => ((DistributedRateLimiter)state!).Tick(), this, _retryInterval, _retryInterval);
    }

    /// <summary>Permits reserved from the store per round trip.</summary>
    public int BatchSize { get; }

    /// <summary>True while the store is unreachable and decisions follow the failure mode.</summary>
    public bool Degraded => Volatile.Read(ref _degraded) != 0;

    /// <summary>Decisions made while <see cref="Degraded"/>.</summary>
    public long DegradedDecisions => Interlocked.Read(ref _degradedDecisions);

    /// <summary>Takes <paramref name="cost"/> permits (between 1 and the rule's capacity) from <paramref name="key"/>'s shared budget, if it has them.</summary>
    public ValueTask<RateLimitDecision> AcquireAsync(string key, int cost = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cost);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cost, _rule.Capacity);
        if (Degraded)
        {
            return new(DecideDegraded(key, cost));
        }

        var lease = Find(key);
        if (lease is null)
        {
            return ReserveExactlyAsync(key, cost, cancellationToken);
        }

        if (!lease.TryServe(cost, Now(), _rule.Capacity, out var decision))
        {
            return RefillAsync(lease, cost, cancellationToken);
        }

        if (decision.Allowed && lease.Held < BatchSize / 2)
        {
            TopUpInBackground(lease);
        }

        return new(decision);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync().ConfigureAwait(false);
        _fallback?.Dispose();
    }

    private async ValueTask<RateLimitDecision> RefillAsync(RedisLease lease, int cost, CancellationToken cancellationToken)
    {
        await lease.Refill.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                if (Degraded)
                {
                    return DecideDegraded(lease.Key, cost);
                }

                if (lease.TryServe(cost, Now(), _rule.Capacity, out var decision))
                {
                    return decision;
                }

                // Tops the lease up to max(BatchSize, cost); only this reservation adds to it, others only take.
                var held = lease.Held;
                var reservation = await TryReserveAsync(lease.Key, Math.Max(BatchSize, cost) - held, cost - held, cancellationToken).ConfigureAwait(false);
                if (reservation is not { } taken)
                {
                    return DecideDegraded(lease.Key, cost);
                }

                lease.Record(taken, Now());
            }
        }
        finally
        {
            lease.Refill.Release();
        }
    }

    /// <summary>
    /// Reserves the next block while half of the current one is left, so a hot key's requests keep being served from
    /// local permits instead of waiting for Redis; skipped when a reservation is already under way. The lease never
    /// holds more than <see cref="BatchSize"/>, so the overshoot bound is unchanged.
    /// </summary>
    private void TopUpInBackground(RedisLease lease)
    {
        if (lease.Refill.Wait(0))
        {
            _ = TopUpAsync(lease);
        }
    }

    private async Task TopUpAsync(RedisLease lease)
    {
        try
        {
            var held = lease.Held;
            if (!Degraded && held < BatchSize / 2
                && await TryReserveAsync(lease.Key, BatchSize - held, 1, CancellationToken.None).ConfigureAwait(false) is { } taken)
            {
                lease.Record(taken, Now());
            }
        }
        finally
        {
            lease.Refill.Release();
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
            return await _store.ReserveAsync(key, _rule, want, need, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            if (Interlocked.Exchange(ref _degraded, 1) == 0)
            {
                RateLimitingLog.StoreUnavailable(_logger, _failureMode, exception);
            }

            return null;
        }
    }

    private RateLimitDecision DecideDegraded(string key, int cost)
    {
        Interlocked.Increment(ref _degradedDecisions);
        return _fallback?.Acquire(key, cost)
            ?? new(false, _rule.Capacity, 0, TimeSpan.Zero, _retryInterval, StoreUnavailable: true);
    }

    private RedisLease? Find(string key)
    {
        if (_leases.TryGetValue(key, out var lease))
        {
            return lease;
        }

        if (Interlocked.Increment(ref _leaseCount) > _maxKeys)
        {
            Interlocked.Decrement(ref _leaseCount);
            return null;
        }

        var created = new RedisLease(key);
        var registered = _leases.GetOrAdd(key, created);
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
