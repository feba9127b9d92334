namespace Gateway.Core.Upstreams;

/// <summary>
/// The idle keep-alive connections to one destination, most recently used first, with an optional cap on open connections.
/// Renting pops a connection that is still usable or opens a new one; a background sweep closes those idle too long.
/// </summary>
public sealed class UpstreamConnectionPool : IDisposable
{
    private readonly UpstreamAddress _address;
    private readonly TimeSpan _connectTimeout;
    private readonly long _idleTimeoutMs;
    private readonly SemaphoreSlim? _openSlots;
    private readonly Stack<UpstreamConnection> _idle = new();
    private readonly Timer _sweep;
    private bool _disposed;

    /// <summary>A pool for <paramref name="address"/> with the connect timeout, idle timeout and connection cap of <paramref name="settings"/>.</summary>
    public UpstreamConnectionPool(UpstreamAddress address, UpstreamSettings settings)
    {
        _address = address;
        _connectTimeout = settings.ConnectTimeout;
        _idleTimeoutMs = (long)settings.PooledConnectionIdleTimeout.TotalMilliseconds;
        _openSlots = settings.MaxConnectionsPerDestination == int.MaxValue ? null : new SemaphoreSlim(settings.MaxConnectionsPerDestination);
        var sweepPeriod = TimeSpan.FromMilliseconds(Math.Clamp(_idleTimeoutMs / 2, 100, 30_000));
        _sweep = new Timer(static state => ((UpstreamConnectionPool)state!).CloseExpired(), this, sweepPeriod, sweepPeriod);
    }

    /// <summary>
    /// An idle connection that is still usable, or a new one when there is none (or when <paramref name="fresh"/>).
    /// Waits for a free slot when the destination's connection cap is reached.
    /// </summary>
    public async ValueTask<UpstreamConnection> RentAsync(bool fresh, CancellationToken cancellationToken)
    {
        while (!fresh && TryPopIdle() is { } idle)
        {
            if (idle.TryTakeIdle())
            {
                return idle;
            }

            Close(idle);
        }

        if (_openSlots is not null)
        {
            await _openSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await UpstreamConnection.ConnectAsync(_address, _connectTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _openSlots?.Release();
            throw;
        }
    }

    /// <summary>Takes back a connection whose exchange ended cleanly, for the next request.</summary>
    public void Return(UpstreamConnection connection)
    {
        connection.MarkIdle();
        lock (_idle)
        {
            if (!_disposed)
            {
                _idle.Push(connection);
                return;
            }
        }

        Close(connection);
    }

    /// <summary>Closes a connection that cannot be reused (its exchange failed or the upstream asked to close).</summary>
    public void Close(UpstreamConnection connection)
    {
        _openSlots?.Release();
        connection.Dispose();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _sweep.Dispose();
        UpstreamConnection[] idle;
        lock (_idle)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }

        foreach (var connection in idle)
        {
            connection.Dispose();
        }
    }

    private UpstreamConnection? TryPopIdle()
    {
        var now = Environment.TickCount64;
        while (true)
        {
            UpstreamConnection connection;
            lock (_idle)
            {
                if (!_idle.TryPop(out connection!))
                {
                    return null;
                }
            }

            if (now - connection.IdleSince < _idleTimeoutMs)
            {
                return connection;
            }

            Close(connection);
        }
    }

    /// <summary>Closes connections idle longer than the idle timeout (they sit at the bottom of the stack).</summary>
    private void CloseExpired()
    {
        var now = Environment.TickCount64;
        List<UpstreamConnection>? expired = null;
        lock (_idle)
        {
            if (_idle.Count == 0 || _disposed)
            {
                return;
            }

            var kept = new List<UpstreamConnection>(_idle.Count);
            while (_idle.TryPop(out var connection))
            {
                if (now - connection.IdleSince < _idleTimeoutMs)
                {
                    kept.Add(connection);
                }
                else
                {
                    (expired ??= []).Add(connection);
                }
            }

            for (var i = kept.Count - 1; i >= 0; i--)
            {
                _idle.Push(kept[i]);
            }
        }

        foreach (var connection in expired ?? [])
        {
            Close(connection);
        }
    }
}
