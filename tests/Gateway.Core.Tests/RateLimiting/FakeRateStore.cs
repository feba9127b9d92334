using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Gateway.Core.RateLimiting;

namespace Gateway.Core.Tests.RateLimiting;

/// <summary>
/// An in-process stand-in for Redis: the GCRA buckets on the test clock, a switch that makes every call fail as
/// a lost connection would, and counts of the calls that reached it.
/// </summary>
internal sealed class FakeRateStore(TimeProvider clock) : IRedisRateStore
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _buckets = new();
    private int _reservations;
    private int _pings;

    /// <summary>When true, every call throws.</summary>
    public bool Down { get; set; }

    /// <summary>Reservation calls that reached the store, failed ones included.</summary>
    public int Reservations => Volatile.Read(ref _reservations);

    /// <summary>Ping calls that reached the store, failed ones included.</summary>
    public int Pings => Volatile.Read(ref _pings);

    public Task<RateReservation> ReserveAsync(string key, RateLimitRule rule, long want, long need, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reservations);
        if (Down)
        {
            return Task.FromException<RateReservation>(new IOException("connection refused"));
        }

        var bucket = _buckets.GetOrAdd(key, _ => new StrongBox<long>());
        new Gcra(rule, clock.TimestampFrequency).TryReserve(ref bucket.Value, clock.GetTimestamp(), want, need, out var reservation);
        return Task.FromResult(reservation);
    }

    public Task PingAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _pings);
        return Down ? Task.FromException(new IOException("connection refused")) : Task.CompletedTask;
    }
}
