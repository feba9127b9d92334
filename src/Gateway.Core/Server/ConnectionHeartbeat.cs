using System.Collections.Concurrent;
using Gateway.Core.Http;

namespace Gateway.Core.Server;

/// <summary>
/// A once-a-second tick shared by all connections: it refreshes the Date header bytes and enforces the
/// keep-alive and request-head deadlines and the minimum request-body rate, so no request pays for a timer of its own.
/// The deadlines count on <see cref="Clock"/>; the Date header is set from the system's time at each tick.
/// </summary>
public sealed class ConnectionHeartbeat : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<Http1Connection, byte> _connections = new();
    private readonly ITimer _timer;

    /// <summary>Starts ticking every second of <paramref name="time"/>.</summary>
    public ConnectionHeartbeat(TimeProvider time)
    {
        Clock = new MillisecondClock(time);
        _timer = time.CreateTimer(static state => ((ConnectionHeartbeat)state!).Tick(), this, Period, Period);
    }

    /// <summary>The clock the deadlines it enforces count on.</summary>
    public MillisecondClock Clock { get; }

    /// <summary>Open connections.</summary>
    public int Count => _connections.Count;

    /// <summary>Starts watching <paramref name="connection"/>.</summary>
    internal void Add(Http1Connection connection) => _connections.TryAdd(connection, 0);

    /// <summary>Stops watching <paramref name="connection"/>.</summary>
    internal void Remove(Http1Connection connection) => _connections.TryRemove(connection, out _);

    /// <inheritdoc/>
    public void Dispose() => _timer.Dispose();

    private void Tick()
    {
        DateHeader.Refresh(DateTimeOffset.UtcNow);
        var now = Clock.Now;
        foreach (var connection in _connections.Keys)
        {
            connection.OnHeartbeat(now);
        }
    }
}
