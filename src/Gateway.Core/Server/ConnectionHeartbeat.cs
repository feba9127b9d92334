using System.Collections.Concurrent;
using Gateway.Core.Http;

namespace Gateway.Core.Server;

/// <summary>
/// A once-a-second tick shared by all connections: it refreshes the Date header bytes and enforces the
/// keep-alive and request-head deadlines and the minimum request-body rate, so no request pays for a timer of its own.
/// </summary>
public sealed class ConnectionHeartbeat : IDisposable
{
    private readonly ConcurrentDictionary<Http1Connection, byte> _connections = new();
    private readonly Timer _timer;

    /// <summary>Starts ticking.</summary>
    public ConnectionHeartbeat() => _timer = new Timer(static state => ((ConnectionHeartbeat)state!).Tick(), this, 1000, 1000);

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
        var now = Environment.TickCount64;
        foreach (var connection in _connections.Keys)
        {
            connection.OnHeartbeat(now);
        }
    }
}
