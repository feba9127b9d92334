using System.Net;
using Gateway.Core.Caching;
using Gateway.Core.Configuration;
using Gateway.Core.Observability;
using Gateway.Core.RateLimiting;
using Gateway.Core.Server;
using Gateway.Core.Snapshots;
using Gateway.Core.Sockets;
using Gateway.Host.Admin;
using Gateway.Host.Http2;
using Gateway.Host.Lifecycle;
using Gateway.Host.Logging;
using Gateway.Host.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Host;

/// <summary>
/// The gateway process: public listeners on Kestrel's socket transport running our own connection handler (h2c:// ones, and
/// https:// connections that chose h2, Kestrel's HTTP/2, whose requests an <see cref="Http2Endpoint"/> hands to the same engine), the admin
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
    private readonly List<(ListenOptions Options, ListenAddress Address, string? Frontend)> _public;
    private readonly ListenOptions? _admin;
    private readonly CancellationTokenSource _outOfRotation;

    private GatewayServer(
        WebApplication app,
        GatewayEngine engine,
        ProcessServices services,
        List<(ListenOptions Options, ListenAddress Address, string? Frontend)> publicListeners,
        ListenOptions? admin,
        CancellationTokenSource outOfRotation)
    {
        _app = app;
        _outOfRotation = outOfRotation;
        _engine = engine;
        _services = services;
        _public = publicListeners;
        _admin = admin;
    }

    /// <summary>The bound public endpoints (ports resolved when 0 was asked for): the default listeners first, then the frontends'.</summary>
    public IReadOnlyList<IPEndPoint> PublicEndPoints => _public.ConvertAll(l => l.Options.IPEndPoint!);

    /// <summary>The bound public listeners as URLs, e.g. <c>https://0.0.0.0:8443</c>.</summary>
    public IReadOnlyList<string> PublicUrls => _public.ConvertAll(l => $"{(l.Address.H2c ? ListenAddress.H2cScheme : l.Address.Https ? "https" : "http")}://{l.Options.IPEndPoint}");

    /// <summary>The frontend each endpoint of <see cref="PublicEndPoints"/> serves, at the same index; null for a default listener.</summary>
    public IReadOnlyList<string?> PublicFrontends => _public.ConvertAll(l => l.Frontend);

    /// <summary>The bound admin endpoint, or null when the admin listener is off.</summary>
    public IPEndPoint? AdminEndPoint => _admin?.IPEndPoint;

    /// <summary>The engine the public listeners run (for tests that install a snapshot of their own).</summary>
    internal GatewayEngine Engine => _engine;

    /// <summary>
    /// Loads the configuration from <paramref name="source"/>, compiles it, binds every listener and starts serving; the
    /// messages of the gateway and of the libraries it runs on go to <paramref name="log"/>.
    /// </summary>
    public static async Task<GatewayServer> StartAsync(GatewaySettings settings, ConfigSource source, GatewayLog log)
    {
        var config = source.Load();
        var publicListeners = settings.PublicListenersFor(config);
        var adminEndPoint = string.IsNullOrEmpty(settings.AdminListen) ? null : ListenAddress.Parse(settings.AdminListen, "GATEWAY_ADMIN_LISTEN");
        if (adminEndPoint is { Https: true } or { H2c: true })
        {
            throw new ConfigException("environment", "GATEWAY_ADMIN_LISTEN", "the admin listener serves http:// only");
        }

        var adminToken = AdminToken.For(settings, adminEndPoint);

        settings.CheckListeners(config, source.Name);
        var observability = settings.Observability;
        var metrics = observability.Metrics ? new GatewayMetrics() : null;
        var services = new ProcessServices { Loggers = LoggerFactory.Create(logging => GatewayLogProvider.Use(logging, log)) };
        WebApplication? app = null;
        GatewayEngine? engine = null;
        var outOfRotation = new CancellationTokenSource();
        try
        {
            services.Redis = settings.Redis is null ? null : ConnectRedis(settings.Redis, services.Loggers.CreateLogger("Gateway.RateLimiting"));
            var cacheTier = services.Redis is null ? null : new RedisCacheTier(services.Redis, metrics, services.Loggers.CreateLogger("Gateway.Caching"));
            var snapshotServices = new SnapshotServices
            {
                Metrics = metrics,
                RedisStore = services.Redis,
                CacheTier = cacheTier,
                Clock = settings.Clock,
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
            var purges = new CachePurges(() => engine.Snapshot, cacheTier);
            await purges.ListenAsync().ConfigureAwait(false);

            var builder = QuietHostBuilder.Create(log);
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.DrainTimeout);
            builder.Services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();
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
            if (settings.Transport.Kind == TransportKind.Epoll)
            {
                // Registered after the socket transport, so Kestrel binds with this one.
                builder.Services.AddSingleton<IConnectionListenerFactory>(sp => new ReadinessTransportFactory(settings.Transport, sp.GetRequiredService<IMemoryPoolFactory<byte>>()));
            }

            var bound = new List<(ListenOptions, ListenAddress, string?)>();
            ListenOptions? adminListener = null;
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                KestrelLimits.Apply(kestrel.Limits, settings.Limits);
                foreach (var (_, address, frontend) in publicListeners)
                {
                    var listener = snapshot.Routes.ListenerOf(frontend);
                    var handler = new GatewayConnectionHandler(engine, listener);
                    var http2 = new Http2Endpoint(engine, listener, address.Https ? "https" : "http");
                    kestrel.Listen(address.EndPoint, listen =>
                    {
                        if (address.H2c)
                        {
                            listen.Protocols = HttpProtocols.Http2;
                            listen.Use(http2.Cleartext);
                        }
                        else if (address.Https)
                        {
                            listen.Protocols = HttpProtocols.Http1AndHttp2;
                            listen.UseHttps(TlsHandshake(engine, settings));
                            listen.Use(http2.ByAlpn(handler));
                        }
                        else
                        {
                            listen.Protocols = HttpProtocols.Http1;
                            listen.Run(handler.OnConnectedAsync);
                        }

                        bound.Add((listen, address, frontend));
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
            app.Use(Http2Endpoint.Dispatch);
            app.UseRouting();
            AdminEndpoints.Map(app, () => !outOfRotation.IsCancellationRequested, metrics, reloader, () => engine.Snapshot, adminToken, purges, services.Loggers.CreateLogger("Gateway.Docs"));
            await app.StartAsync().ConfigureAwait(false);
            return new GatewayServer(app, engine, services, bound, adminListener, outOfRotation);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }

            engine?.Dispose();
            await services.DisposeAsync().ConfigureAwait(false);
            outOfRotation.Dispose();
            throw;
        }
    }

    /// <summary>Reloads the configuration from its source (SIGHUP, say), whether or not it changed; never throws for a bad configuration.</summary>
    public Task<ReloadStatus> ReloadAsync(string trigger) => _services.Reloader!.ReloadAsync(trigger);

    /// <summary>Takes the gateway out of rotation: <c>/readyz</c> answers 503 from now on, while every listener accepts and serves as usual.</summary>
    public void LeaveRotation() => _outOfRotation.Cancel();

    /// <summary>Out of rotation, stops accepting, lets in-flight requests finish within the drain timeout, and closes idle connections.</summary>
    public Task StopAsync()
    {
        LeaveRotation();
        return _app.StopAsync();
    }

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
        _outOfRotation.Dispose();
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
