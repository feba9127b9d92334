using Gateway.Core.Configuration;
using Gateway.Core.Observability;
using Gateway.Core.Snapshots;
using Microsoft.Extensions.ObjectPool;

namespace Gateway.Core.Server;

/// <summary>The running gateway as connections see it: settings, the current configuration snapshot, the heartbeat and the connection caps.</summary>
public sealed class GatewayEngine(GatewaySettings settings, GatewaySnapshot snapshot, RequestReporter reporter) : IDisposable
{
    private GatewaySnapshot _snapshot = snapshot;
    private volatile bool _draining;

    /// <summary>The process-wide settings.</summary>
    public GatewaySettings Settings { get; } = settings;

    /// <summary>The compiled configuration that new requests use; swapped whole on reload.</summary>
    public GatewaySnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Makes <paramref name="snapshot"/> the one new requests use; requests already routed finish on the one they started with.</summary>
    public void Install(GatewaySnapshot snapshot) => Volatile.Write(ref _snapshot, snapshot);

    /// <summary>Reports finished requests (metrics, access log, spans).</summary>
    public RequestReporter Reporter { get; } = reporter;

    /// <summary>The shared once-a-second tick.</summary>
    public ConnectionHeartbeat Heartbeat { get; } = new(settings.Clock);

    /// <summary>What connections borrow while they serve a request.</summary>
    internal ObjectPool<RequestMachinery> Machinery { get; } = RequestMachinery.Pool(settings, reporter.Metrics);

    /// <summary>The caps on open client connections, in total and per client address.</summary>
    public ConnectionLimiter Connections { get; } = new(settings.Transport);

    /// <summary>
    /// True once shutdown has begun: every answer from then on carries <c>Connection: close</c>, even on a connection the
    /// server has not yet got round to asking to close.
    /// </summary>
    public bool Draining => _draining;

    /// <summary>Marks the start of shutdown.</summary>
    public void BeginDrain() => _draining = true;

    /// <inheritdoc/>
    public void Dispose()
    {
        Heartbeat.Dispose();
        Snapshot.Dispose();
        (Machinery as IDisposable)?.Dispose();
    }
}
