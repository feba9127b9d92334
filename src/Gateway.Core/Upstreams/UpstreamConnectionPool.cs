using Gateway.Core.Sockets;

namespace Gateway.Core.Upstreams;

/// <summary>
/// The idle keep-alive connections to one destination, most recently used first, with an optional cap on open connections
/// and a lifetime. Renting pops a connection that is still usable or opens a new one (a host name is resolved as it opens);
/// a background sweep closes those idle too long or past their lifetime.
/// </summary>
public sealed class UpstreamConnectionPool : IDisposable
{
    private readonly UpstreamAddress _address;
    private readonly UpstreamTls _tls;
    private readonly TimeSpan _connectTimeout;
    private readonly TransportKind _transport;
    private readonly long _idleTimeoutMs;
    private readonly long _lifetimeMs;
    private readonly SemaphoreSlim? _openSlots;
    private readonly SemaphoreSlim _freed = new(0);
    private readonly Stack<UpstreamConnection> _idle = new();
    private readonly Timer _sweep;
    private int _waiting;
    private bool _disposed;

    /// <summary>A pool for <paramref name="address"/> with the timeouts, lifetime and connection cap of <paramref name="settings"/>, secured by <paramref name="tls"/> for https.</summary>
    public UpstreamConnectionPool(UpstreamAddress address, PoolSettings settings, UpstreamTls tls)
    {
        _address = address;
        _tls = tls;
        _connectTimeout = settings.ConnectTimeout;
        _transport = settings.Transport;
        _idleTimeoutMs = (long)settings.IdleTimeout.TotalMilliseconds;
        _lifetimeMs = settings.Lifetime == Timeout.InfiniteTimeSpan ? long.MaxValue : (long)settings.Lifetime.TotalMilliseconds;
        _openSlots = settings.MaxConnections == int.MaxValue ? null : new SemaphoreSlim(settings.MaxConnections);
        var sweepPeriod = TimeSpan.FromMilliseconds(Math.Clamp(Math.Min(_idleTimeoutMs, _lifetimeMs) / 2, 100, 30_000));
        _sweep = new Timer(static state => ((UpstreamConnectionPool)state!).CloseExpired(), this, sweepPeriod, sweepPeriod);
    }

    /// <summary>
    /// An idle connection that is still usable, or a new one when there is none (or when <paramref name="fresh"/>).
    /// When the destination's connection cap is reached, waits, among the cluster's <paramref name="pending"/> requests, for
    /// a connection to come back or close; throws <see cref="ClusterOverloadedException"/> when those are at their cap.
    /// </summary>
    public async ValueTask<UpstreamConnection> RentAsync(bool fresh, PendingRequests pending, CancellationToken cancellationToken)
    {
        var reused = fresh ? null : TakeIdle();
        if (reused is not null)
        {
            return reused;
        }

        if (_openSlots is not null && !TryTakeSlot(fresh))
        {
            if (!pending.TryEnter())
            {
                throw new ClusterOverloadedException("Too many requests are waiting for a connection to the upstream.");
            }

            // Counted as waiting before looking again, so a connection coming back meanwhile wakes this request.
            Interlocked.Increment(ref _waiting);
            try
            {
                while ((reused = fresh ? null : TakeIdle()) is null && !TryTakeSlot(fresh))
                {
                    await _freed.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
                pending.Exit();
            }

            if (reused is not null)
            {
                return reused;
            }
        }

        try
        {
            return await UpstreamConnection.ConnectAsync(_address, _tls, _connectTimeout, _transport, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            ReleaseSlot();
            throw;
        }
    }

    /// <summary>Takes back a connection whose exchange ended cleanly, for the next request.</summary>
    public void Return(UpstreamConnection connection)
    {
        if (Environment.TickCount64 - connection.OpenedAt >= _lifetimeMs)
        {
            Close(connection);
            return;
        }

        connection.MarkIdle();
        lock (_idle)
        {
            if (!_disposed)
            {
                _idle.Push(connection);
                WakeWaiter();
                return;
            }
        }

        Close(connection);
    }

    /// <summary>Closes a connection that cannot be reused (its exchange failed or the upstream asked to close).</summary>
    public void Close(UpstreamConnection connection)
    {
        connection.Dispose();
        ReleaseSlot();
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

    /// <summary>An idle connection that is still usable, or null; unusable ones met on the way are closed.</summary>
    private UpstreamConnection? TakeIdle()
    {
        while (TryPopIdle() is { } idle)
        {
            if (idle.TryTakeIdle())
            {
                return idle;
            }

            Close(idle);
        }

        return null;
    }

    /// <summary>
    /// Takes a slot for a new connection under the cap; for a <paramref name="fresh"/> one, an idle connection is closed to
    /// make room when the cap is reached (it would otherwise keep its slot while the request waits).
    /// </summary>
    private bool TryTakeSlot(bool fresh)
    {
        if (_openSlots!.Wait(0, CancellationToken.None))
        {
            return true;
        }

        if (fresh && TryPopIdle() is { } idle)
        {
            Close(idle);
            return _openSlots.Wait(0, CancellationToken.None);
        }

        return false;
    }

    private void ReleaseSlot()
    {
        if (_openSlots is not null)
        {
            _openSlots.Release();
            WakeWaiter();
        }
    }

    /// <summary>Wakes a request waiting for a connection, if there is one (it looks again for an idle connection or a slot).</summary>
    private void WakeWaiter()
    {
        if (Volatile.Read(ref _waiting) > 0)
        {
            _freed.Release();
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

            if (IsFresh(connection, now))
            {
                return connection;
            }

            Close(connection);
        }
    }

    private bool IsFresh(UpstreamConnection connection, long now) =>
        now - connection.IdleSince < _idleTimeoutMs && now - connection.OpenedAt < _lifetimeMs;

    /// <summary>Closes connections idle longer than the idle timeout or open longer than the lifetime.</summary>
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
                if (IsFresh(connection, now))
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
