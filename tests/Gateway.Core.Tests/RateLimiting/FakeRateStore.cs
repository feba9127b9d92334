using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Gateway.Core.RateLimiting;

namespace Gateway.Core.Tests.RateLimiting;

/// <summary>
/// An in-process stand-in for Redis: the GCRA buckets on the test clock, answering at once or, with a
/// <see cref="Latency"/>, when the test clock has moved that far (evaluated then, as Redis would on arrival); a switch
/// that makes every call fail as a lost connection would; and a record of the calls that reached it.
/// </summary>
internal sealed class FakeRateStore(ManualTimeProvider clock) : IRedisRateStore
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _buckets = new();
    private readonly ConcurrentQueue<long> _wants = new();
    private int _reservations;
    private int _pings;
    private int _pending;

    /// <summary>When true, every call throws.</summary>
    public bool Down { get; set; }

    /// <summary>The instance count the store reports, as if a heartbeat had learned it.</summary>
    public int InstanceCount { get; set; } = 1;

    /// <summary>How long a reservation takes to answer, on the test clock; zero answers at once.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Reservation calls that reached the store, failed ones included.</summary>
    public int Reservations => Volatile.Read(ref _reservations);

    /// <summary>Reservations sent and not answered yet.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>The number of permits each reservation asked for, in order.</summary>
    public IReadOnlyList<long> Wants => [.. _wants];

    /// <summary>Ping calls that reached the store, failed ones included.</summary>
    public int Pings => Volatile.Read(ref _pings);

    public Task<RateReservation> ReserveAsync(string key, RateLimitRule rule, long want, long need, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reservations);
        _wants.Enqueue(want);
        if (Down)
        {
            return Task.FromException<RateReservation>(new IOException("connection refused"));
        }

        if (Latency == TimeSpan.Zero)
        {
            return Task.FromResult(Reserve(key, rule, want, need));
        }

        var answer = new TaskCompletionSource<RateReservation>();
        Interlocked.Increment(ref _pending);
        clock.CreateTimer(
            _ =>
            {
                Interlocked.Decrement(ref _pending);
                answer.SetResult(Reserve(key, rule, want, need));
            },
            null,
            Latency,
            Timeout.InfiniteTimeSpan);
        return answer.Task;
    }

    public Task PingAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _pings);
        return Down ? Task.FromException(new IOException("connection refused")) : Task.CompletedTask;
    }

    private RateReservation Reserve(string key, RateLimitRule rule, long want, long need)
    {
        var bucket = _buckets.GetOrAdd(key, _ => new StrongBox<long>());
        new Gcra(rule, clock.TimestampFrequency).TryReserve(ref bucket.Value, clock.GetTimestamp(), want, need, out var reservation);
        return reservation;
    }
}
