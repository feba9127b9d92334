using Gateway.Core.Configuration;
using Gateway.Core.Observability;
using Gateway.Core.RateLimiting;
using Gateway.Core.Snapshots;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Gateway.Host;

/// <summary>What the gateway process owns beside Kestrel and the engine, released together when it stops or fails to start.</summary>
internal sealed class ProcessServices : IAsyncDisposable
{
    /// <summary>The gateway's own log output.</summary>
    public required ILoggerFactory Loggers { get; init; }

    /// <summary>The Redis connection of distributed rate limits, when GATEWAY_REDIS is set.</summary>
    public RedisRateStore? Redis { get; set; }

    /// <summary>The access log writer, when it is on.</summary>
    public AccessLog? AccessLog { get; set; }

    /// <summary>The OTLP span exporter, when it is on.</summary>
    public TracerProvider? Tracing { get; set; }

    /// <summary>What reloads the configuration.</summary>
    public ConfigReloader? Reloader { get; set; }

    /// <summary>What follows the configuration file, when there is one.</summary>
    public ConfigFileWatcher? Watcher { get; set; }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Watcher?.Dispose();
        if (Reloader is not null)
        {
            await Reloader.DisposeAsync().ConfigureAwait(false);
        }

        if (AccessLog is not null)
        {
            await AccessLog.DisposeAsync().ConfigureAwait(false);
        }

        Tracing?.Dispose();
        if (Redis is not null)
        {
            await Redis.DisposeAsync().ConfigureAwait(false);
        }

        Loggers.Dispose();
    }
}
