using System.Net;
using Gateway.Core.Configuration;
using Gateway.Core.Http;
using Gateway.Core.Observability;
using Gateway.Core.RateLimiting;
using Gateway.Core.Server;
using Gateway.Core.Snapshots;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Gateway.Host;

/// <summary>
/// The gateway process: public listeners on Kestrel's socket transport running our own connection handler,
/// and the admin listener on Kestrel's ordinary HTTP stack (health, readiness and metrics; off the hot path).
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GatewayEngine _engine;
    private readonly ProcessServices _services;
    private readonly List<ListenOptions> _public;
    private readonly ListenOptions? _admin;

    private GatewayServer(WebApplication app, GatewayEngine engine, ProcessServices services, List<ListenOptions> publicListeners, ListenOptions? admin)
    {
        _app = app;
        _engine = engine;
        _services = services;
        _public = publicListeners;
        _admin = admin;
    }

    /// <summary>The bound public endpoints (ports resolved when 0 was asked for).</summary>
    public IReadOnlyList<IPEndPoint> PublicEndPoints => _public.ConvertAll(l => l.IPEndPoint!);

    /// <summary>The bound admin endpoint, or null when the admin listener is off.</summary>
    public IPEndPoint? AdminEndPoint => _admin?.IPEndPoint;

    /// <summary>Compiles <paramref name="config"/>, binds every listener and starts serving.</summary>
    public static async Task<GatewayServer> StartAsync(GatewaySettings settings, GatewayConfig config, string configSource, LogLevel logLevel = LogLevel.Warning)
    {
        var publicEndPoints = settings.Listen.Select(url => ListenAddress.Parse(url, "GATEWAY_LISTEN")).ToList();
        var adminEndPoint = string.IsNullOrEmpty(settings.AdminListen) ? null : ListenAddress.Parse(settings.AdminListen, "GATEWAY_ADMIN_LISTEN");
        var observability = settings.Observability;
        var metrics = observability.Metrics ? new GatewayMetrics() : null;
        var services = new ProcessServices { Loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole().SetMinimumLevel(logLevel)) };
        WebApplication? app = null;
        GatewayEngine? engine = null;
        try
        {
            services.Redis = settings.Redis is null ? null : await RedisRateStore.ConnectAsync(settings.Redis).ConfigureAwait(false);
            var snapshot = GatewaySnapshot.Build(config, settings.UpstreamDefaults, configSource, new SnapshotServices
            {
                Metrics = metrics,
                RedisStore = services.Redis,
                Logger = services.Loggers.CreateLogger("Gateway.RateLimiting"),
            });
            metrics?.Registry.AddBeforeCollectCallback(() =>
            {
                foreach (var limit in snapshot.RateLimits.Values.Where(l => l.IsDistributed))
                {
                    metrics.RateLimitDegraded.WithLabels(limit.Name).IncTo(limit.DegradedDecisions);
                }
            });
            services.AccessLog = AccessLog.Create(observability.AccessLog, metrics);
            services.Tracing = observability.OtlpEndpoint is { } otlp ? OtlpTracing.Start(otlp) : null;
            engine = new GatewayEngine(settings, snapshot, new RequestReporter(metrics, services.AccessLog));

            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.SetMinimumLevel(logLevel);
            builder.Services.AddSingleton(engine);
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

            var publicListeners = new List<ListenOptions>();
            ListenOptions? adminListener = null;
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                foreach (var endPoint in publicEndPoints)
                {
                    kestrel.Listen(endPoint, listen =>
                    {
                        listen.Protocols = HttpProtocols.Http1;
                        listen.UseConnectionHandler<GatewayConnectionHandler>();
                        publicListeners.Add(listen);
                    });
                }

                if (adminEndPoint is not null)
                {
                    kestrel.Listen(adminEndPoint, listen => adminListener = listen);
                }
            });

            app = builder.Build();
            var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
            lifetime.ApplicationStopping.Register(engine.BeginDrain);
            app.MapGet("/healthz", () => Results.Text("ok\n"));
            app.MapGet("/readyz", () => lifetime.ApplicationStopping.IsCancellationRequested
                ? Results.Text("draining\n", statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Text("ready\n"));
            if (metrics is not null)
            {
                app.MapGet("/metrics", async context =>
                {
                    context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                    await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
                });
            }

            await app.StartAsync().ConfigureAwait(false);
            return new GatewayServer(app, engine, services, publicListeners, adminListener);
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

    /// <summary>Waits until the process is asked to stop (SIGTERM, Ctrl-C).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    /// <summary>Stops accepting, lets in-flight requests finish within the drain timeout, and closes idle connections.</summary>
    public Task StopAsync() => _app.StopAsync();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        _engine.Dispose();
        await _services.DisposeAsync().ConfigureAwait(false);
    }
}
