using Gateway.Core.Configuration;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Snapshots;

/// <summary>
/// Replaces the running snapshot with one compiled afresh from the configuration's source, off the request path: read,
/// validate, compile (carrying over the connection pools and rate-limit state that did not change), install, then retire
/// what only the old snapshot held. Requests in flight finish on the snapshot they started with. A refused configuration
/// (invalid, or changing what only a restart applies) leaves the running one serving; the refusal is logged in one line
/// with its JSON path, counted, and kept for <see cref="Status"/>. One reload runs at a time.
/// </summary>
public sealed class ConfigReloader : IAsyncDisposable
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly ConfigSource _source;
    private readonly GatewaySettings _settings;
    private readonly SnapshotServices _services;
    private readonly Action<GatewaySnapshot> _install;
    private readonly ILogger? _logger;
    private GatewayConfig _config;
    private GatewaySnapshot _running;
    private bool _stopped;

    /// <summary>
    /// Takes over from the start: <paramref name="config"/> compiled into <paramref name="running"/>, which serves;
    /// <paramref name="install"/> makes a new snapshot the one new requests use.
    /// </summary>
    public ConfigReloader(
        ConfigSource source, GatewaySettings settings, SnapshotServices services, GatewayConfig config, GatewaySnapshot running, Action<GatewaySnapshot> install, ILogger? logger)
    {
        _source = source;
        _settings = settings;
        _services = services;
        _config = config;
        _running = running;
        _install = install;
        _logger = logger;
        Status = new ReloadStatus(ConfigVersion.Of(config), DateTimeOffset.UtcNow, source.Name, null);
    }

    /// <summary>The running configuration's version and load time, and the last reload's result.</summary>
    public ReloadStatus Status { get; private set; }

    /// <summary>
    /// Reloads from the source, whether or not it changed; <paramref name="trigger"/> says what asked (file, SIGHUP, admin).
    /// Returns the status afterwards: <see cref="ReloadAttempt.Error"/> is set when the new configuration was refused.
    /// </summary>
    public async Task<ReloadStatus> ReloadAsync(string trigger)
    {
        await _oneAtATime.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_stopped)
            {
                Reload(trigger);
            }

            return Status;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>Waits for a reload under way to finish, then takes no more (at shutdown, before the engine goes).</summary>
    public async ValueTask DisposeAsync()
    {
        await _oneAtATime.WaitAsync().ConfigureAwait(false);
        _stopped = true;
        _oneAtATime.Release();
    }

    private void Reload(string trigger)
    {
        var at = DateTimeOffset.UtcNow;
        GatewayConfig config;
        GatewaySnapshot next;
        try
        {
            config = _source.Load();
            RefuseRestartOnlyChanges(config);
            next = SnapshotCompiler.Compile(config, _settings.UpstreamDefaults, _source.Name, _services, _running);
        }
        catch (Exception ex)
        {
            // A ConfigException is the expected refusal; anything else a configuration provokes is refused the same way,
            // never thrown at the file watcher, the signal handler or the admin request that asked.
            var error = ex is ConfigException ? ex.Message : $"{_source.Name}: {ex.GetType().Name}: {ex.Message}";
            Status = Status with { LastReload = new ReloadAttempt(at, trigger, error) };
            _services.Metrics?.ConfigReloaded(ok: false);
            if (_logger is not null)
            {
                ReloadLog.Refused(_logger, trigger, error, Status.Version);
            }

            return;
        }

        _install(next);
        var previous = _running;
        (_running, _config) = (next, config);
        Status = new ReloadStatus(ConfigVersion.Of(config), at, _source.Name, new ReloadAttempt(at, trigger, null));
        _services.Metrics?.ConfigReloaded(ok: true);
        if (_logger is not null)
        {
            ReloadLog.Reloaded(_logger, trigger, _source.Name, Status.Version);
        }

        try
        {
            previous.RetireFor(next);
        }
        catch (Exception ex) when (_logger is not null)
        {
            // The new configuration serves either way; what the old one held and could not close closes with the process.
            ReloadLog.RetireFailed(_logger, ex.Message);
        }
    }

    /// <summary>
    /// Refuses a configuration that changes what is bound at start: the default listeners (unless GATEWAY_LISTEN, which wins,
    /// names them) and each frontend's own, or whose listeners cannot serve (an https:// listener without certificates).
    /// </summary>
    private void RefuseRestartOnlyChanges(GatewayConfig config)
    {
        _settings.CheckListeners(config, _source.Name);
        if (_settings.Listen is null && !_settings.ListenersFor(config).SequenceEqual(_settings.ListenersFor(_config)))
        {
            throw new ConfigException(_source.Name, "$.listen", "the listeners cannot change while the gateway runs; a restart applies them");
        }

        foreach (var name in config.Frontends.Keys.Union(_config.Frontends.Keys))
        {
            if (!FrontendListen(config, name).SequenceEqual(FrontendListen(_config, name)))
            {
                throw new ConfigException(_source.Name, ConfigJson.Member("$.frontends", name) + ".listen", $"the listeners of frontend \"{name}\" cannot change while the gateway runs; a restart applies them");
            }
        }
    }

    /// <summary>The listener URLs of <paramref name="frontend"/> in <paramref name="config"/>; empty when it has none or is not defined.</summary>
    private static List<string> FrontendListen(GatewayConfig config, string frontend) => config.Frontends.GetValueOrDefault(frontend)?.Listen ?? [];
}
