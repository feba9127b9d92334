using System.Net;
using Gateway.Core.Configuration;
using Gateway.Core.Observability;
using Gateway.Core.RateLimiting;
using Gateway.Core.Server;
using Gateway.Core.Snapshots;
using Gateway.Host.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Gateway.Host;

/// <summary>
/// The gateway process: public listeners on Kestrel's socket transport running our own connection handler, the admin
/// listener on Kestrel's ordinary HTTP stack (health, readiness, metrics, configuration; off the hot path), and the
/// configuration reloads (file changes, SIGHUP, admin).
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    /// <summary>How long the configuration file must stay still after a change before it is read.</summary>
    private static readonly TimeSpan FileSettleTime = TimeSpan.FromMilliseconds(500);

    private readonly WebApplication _app;
    private readonly GatewayEngine _engine;
    private readonly ProcessServices _services;
    private readonly List<(ListenOptions Options, bool Https, string? Frontend)> _public;
    private readonly ListenOptions? _admin;

    private GatewayServer(
        WebApplication app, GatewayEngine engine, ProcessServices services, List<(ListenOptions Options, bool Https, string? Frontend)> publicListeners, ListenOptions? admin)
    {
        _app = app;
        _engine = engine;
        _services = services;
        _public = publicListeners;
        _admin = admin;
    }

    /// <summary>The bound public endpoints (ports resolved when 0 was asked for): the default listeners first, then the frontends'.</summary>
    public IReadOnlyList<IPEndPoint> PublicEndPoints => _public.ConvertAll(l => l.Options.IPEndPoint!);

    /// <summary>The bound public listeners as URLs, e.g. <c>https://0.0.0.0:8443</c>.</summary>
    public IReadOnlyList<string> PublicUrls => _public.ConvertAll(l => $"{(l.Https ? "https" : "http")}://{l.Options.IPEndPoint}");

    /// <summary>The frontend each endpoint of <see cref="PublicEndPoints"/> serves, at the same index; null for a default listener.</summary>
    public IReadOnlyList<string?> PublicFrontends => _public.ConvertAll(l => l.Frontend);

    /// <summary>The bound admin endpoint, or null when the admin listener is off.</summary>
    public IPEndPoint? AdminEndPoint => _admin?.IPEndPoint;

    /// <summary>The engine the public listeners run (for tests that install a snapshot of their own).</summary>
    internal GatewayEngine Engine => _engine;

    /// <summary>Loads the configuration from <paramref name="source"/>, compiles it, binds every listener and starts serving.</summary>
    public static async Task<GatewayServer> StartAsync(GatewaySettings settings, ConfigSource source, LogLevel logLevel = LogLevel.Warning)
    {
        var config = source.Load();
        var publicListeners = settings.PublicListenersFor(config);
        var adminEndPoint = string.IsNullOrEmpty(settings.AdminListen) ? null : ListenAddress.Parse(settings.AdminListen, "GATEWAY_ADMIN_LISTEN");
        if (adminEndPoint is { Https: true })
        {
            throw new ConfigException("environment", "GATEWAY_ADMIN_LISTEN", "the admin listener serves http:// only");
        }

        var adminToken = AdminToken.For(settings, adminEndPoint);

        settings.CheckListeners(config, source.Name);
        var observability = settings.Observability;
        var metrics = observability.Metrics ? new GatewayMetrics() : null;
        var services = new ProcessServices { Loggers = LoggerFactory.Create(logging => ConfigureLogging(logging, logLevel)) };
        WebApplication? app = null;
        GatewayEngine? engine = null;
        try
        {
            services.Redis = settings.Redis is null ? null : ConnectRedis(settings.Redis, services.Loggers.CreateLogger("Gateway.RateLimiting"));
            var snapshotServices = new SnapshotServices
            {
                Metrics = metrics,
                RedisStore = services.Redis,
                Logger = services.Loggers.CreateLogger("Gateway.RateLimiting"),
                TlsLogger = services.Loggers.CreateLogger("Gateway.Tls"),
            };
            var snapshot = SnapshotCompiler.Compile(config, settings.UpstreamDefaults, source.Name, snapshotServices);
            services.AccessLog = AccessLog.Create(observability.AccessLog, metrics);
            services.Tracing = observability.OtlpEndpoint is { } otlp ? OtlpTracing.Start(otlp) : null;
            engine = new GatewayEngine(settings, snapshot, new RequestReporter(metrics, services.AccessLog));
            var configLogger = services.Loggers.CreateLogger("Gateway.Configuration");
            var reloader = new ConfigReloader(source, settings, snapshotServices, config, snapshot, engine.Install, configLogger);
            services.Reloader = reloader;
            services.Watcher = Watch(source, settings, reloader, configLogger);
            metrics?.Registry.AddBeforeCollectCallback(() => ReportRateLimits(metrics, engine, services.Redis));

            var builder = WebApplication.CreateSlimBuilder();
            ConfigureLogging(builder.Logging, logLevel);
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.DrainTimeout);
            builder.WebHost.UseSockets(o =>
            {
                if (settings.Transport.IoQueueCount > 0)
                {
                    o.IOQueueCount = settings.Transport.IoQueueCount;
                }

                o.UnsafePreferInlineScheduling = settings.Transport.InlineScheduling;
                o.MaxReadBufferSize = settings.Transport.MaxReadBufferBytes;
                o.MaxWriteBufferSize = settings.Transport.MaxWriteBufferBytes;
            });

            var bound = new List<(ListenOptions, bool, string?)>();
            ListenOptions? adminListener = null;
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                foreach (var (_, address, frontend) in publicListeners)
                {
                    var handler = new GatewayConnectionHandler(engine, snapshot.Routes.ListenerOf(frontend));
                    kestrel.Listen(address.EndPoint, listen =>
                    {
                        listen.Protocols = HttpProtocols.Http1;
                        if (address.Https)
                        {
                            listen.UseHttps(TlsHandshake(engine, settings));
                        }

                        listen.Run(handler.OnConnectedAsync);
                        bound.Add((listen, address.Https, frontend));
                    });
                }

                if (adminEndPoint is not null)
                {
                    kestrel.Listen(adminEndPoint.EndPoint, listen => adminListener = listen);
                }
            });

            app = builder.Build();
            var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
            lifetime.ApplicationStopping.Register(engine.BeginDrain);
            AdminEndpoints.Map(app, lifetime, metrics, reloader, () => engine.Snapshot, adminToken, services.Loggers.CreateLogger("Gateway.Docs"));
            await app.StartAsync().ConfigureAwait(false);
            return new GatewayServer(app, engine, services, bound, adminListener);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }

            engine?.Dispose();
            await services.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reloads the configuration from its source (SIGHUP, say), whether or not it changed; never throws for a bad configuration.</summary>
    public Task<ReloadStatus> ReloadAsync(string trigger) => _services.Reloader!.ReloadAsync(trigger);

    /// <summary>Waits until the process is asked to stop (SIGTERM, Ctrl-C).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    /// <summary>Stops accepting, lets in-flight requests finish within the drain timeout, and closes idle connections.</summary>
    public Task StopAsync() => _app.StopAsync();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        // No reload may install into an engine that is going: the watcher stops first, then a reload under way finishes.
        _services.Watcher?.Dispose();
        if (_services.Reloader is not null)
        {
            await _services.Reloader.DisposeAsync().ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _engine.Dispose();
        await _services.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Follows the configuration file when there is one and GATEWAY_CONFIG_WATCH allows it. When the system refuses to watch
    /// (inotify limits), the gateway starts anyway and says so: SIGHUP and the admin API still reload.
    /// </summary>
    private static ConfigFileWatcher? Watch(ConfigSource source, GatewaySettings settings, ConfigReloader reloader, ILogger logger)
    {
        if (source.FilePath is not { } file || !settings.WatchConfig)
        {
            return null;
        }

        try
        {
            return new ConfigFileWatcher(file, FileSettleTime, () => reloader.ReloadAsync("file"));
        }
        catch (IOException ex)
        {
            HostLog.CannotWatch(logger, file, ex.Message);
            return null;
        }
    }

    /// <summary>
    /// Starts connecting to Redis without waiting for it: until it answers, distributed rate limits follow their failure mode.
    /// When the first attempt fails, one line says so; the connection is retried in the background.
    /// </summary>
    private static RedisRateStore ConnectRedis(string configuration, ILogger logger)
    {
        var redis = RedisRateStore.Connect(configuration);
        redis.FirstConnect.ContinueWith(
            first =>
            {
                if (!first.Result)
                {
                    HostLog.RedisUnreachable(logger, redis.Endpoints);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion,
            TaskScheduler.Default);
        return redis;
    }

    /// <summary>
    /// TLS for an https:// listener: each handshake gets the certificate the running snapshot picks for the name the client
    /// asks for, so a reload or a certificate replaced on disk serves from the next handshake. A handshake must finish within
    /// the request head timeout.
    /// </summary>
    private static TlsHandshakeCallbackOptions TlsHandshake(GatewayEngine engine, GatewaySettings settings) => new()
    {
        OnConnection = context => ValueTask.FromResult(
            (engine.Snapshot.Tls ?? throw new InvalidOperationException("an https:// listener runs without certificates")).Select(context.ClientHelloInfo.ServerName)),
        HandshakeTimeout = settings.Limits.RequestHeadersTimeout,
    };

    /// <summary>
    /// The gateway's own log lines: one line each, on stderr, so stdout carries only the access log. The generic host's
    /// report of a failed start (a port in use, with Kestrel's stack trace) is left out: the caller says it in one line.
    /// </summary>
    internal static void ConfigureLogging(ILoggingBuilder logging, LogLevel level)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o => o.SingleLine = true);
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(level);
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
    }

    /// <summary>
    /// Brings the degraded-decision counters of the running snapshot's distributed rate limits and the count of instances
    /// sharing <paramref name="redis"/> (when there is one) up to date.
    /// </summary>
    private static void ReportRateLimits(GatewayMetrics metrics, GatewayEngine engine, RedisRateStore? redis)
    {
        if (redis is { Reached: true })
        {
            metrics.RateLimitInstances.Set(redis.InstanceCount);
        }

        foreach (var limit in engine.Snapshot.RateLimits.Values)
        {
            if (limit.TakeDegradedDecisions() is var decisions and > 0)
            {
                metrics.RateLimitDegraded.WithLabels(limit.Name).Inc(decisions);
            }
        }
    }
}
