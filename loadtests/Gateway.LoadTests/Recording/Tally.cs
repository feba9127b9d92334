using System.Collections.Concurrent;
using HdrHistogram;

namespace Gateway.LoadTests.Recording;

/// <summary>Counts of one slice of a run (one second, one stage, or all of it): outcomes by status and failure kind, and a latency histogram.</summary>
/// <param name="coarse">True for a second's slice: its histogram keeps 2 significant digits (see <see cref="LatencyHistogram"/>).</param>
internal sealed class Tally(bool coarse = false)
{
    private readonly ConcurrentDictionary<int, long> _statuses = new();
    private readonly ConcurrentDictionary<string, long> _failures = new(StringComparer.Ordinal);
    private long _scheduled;
    private long _responses;
    private long _errors;
    private long _dropped;
    private LongConcurrentHistogram? _latency;

    /// <summary>Requests due in this slice (open model) or started (closed model).</summary>
    public long Scheduled => Volatile.Read(ref _scheduled);

    /// <summary>HTTP responses received, whatever their status.</summary>
    public long Responses => Volatile.Read(ref _responses);

    /// <summary>Unexpected statuses, failures (no response) and drops.</summary>
    public long Errors => Volatile.Read(ref _errors);

    /// <summary>Requests never sent because the in-flight cap was reached.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Responses by status code.</summary>
    public IReadOnlyDictionary<int, long> Statuses => _statuses;

    /// <summary>Requests that got no response, by kind (<c>timeout</c>, <c>connection</c>, ...).</summary>
    public IReadOnlyDictionary<string, long> Failures => _failures;

    /// <summary>Latencies of the responses (from the intended send time), empty until the first one.</summary>
    public HistogramBase Latency => Volatile.Read(ref _latency) ?? (HistogramBase)NewHistogram();

    /// <summary>Counts a request that was due.</summary>
    public void AddScheduled() => Interlocked.Increment(ref _scheduled);

    /// <summary>Counts a response and records its latency.</summary>
    public void AddResponse(int status, bool expected, TimeSpan latency)
    {
        Interlocked.Increment(ref _responses);
        _statuses.AddOrUpdate(status, 1, static (_, n) => n + 1);
        if (!expected)
        {
            Interlocked.Increment(ref _errors);
        }

        LatencyHistogram.Record(LazyInitializer.EnsureInitialized(ref _latency, NewHistogram), latency);
    }

    /// <summary>Counts a request that got no response.</summary>
    public void AddFailure(string kind)
    {
        _failures.AddOrUpdate(kind, 1, static (_, n) => n + 1);
        Interlocked.Increment(ref _errors);
    }

    /// <summary>Counts a request dropped at the in-flight cap.</summary>
    public void AddDropped()
    {
        Interlocked.Increment(ref _dropped);
        Interlocked.Increment(ref _errors);
    }

    private LongConcurrentHistogram NewHistogram() => coarse ? LatencyHistogram.CreateCoarse() : LatencyHistogram.Create();
}
