using System.Security.Cryptography.X509Certificates;
using Gateway.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Host.Tests.Grpc;

/// <summary>
/// An upstream that speaks HTTP/2 only: h2c with prior knowledge, or h2 over TLS with a given certificate. It serves the gRPC
/// <see cref="EchoService"/> and plain endpoints: <c>/echo</c> (the protocol, method and body back, with a trailer), <c>/slow</c>
/// (waits until cancelled), <c>/header/{name}</c> (a request field's value), <c>/health</c> (counts the probes that came over
/// HTTP/2) and <c>/json/{name}</c> (a small JSON document naming the protocol).
/// </summary>
internal sealed class Http2Upstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _probes;

    private Http2Upstream(WebApplication app, EchoCalls calls)
    {
        _app = app;
        Calls = calls;
    }

    /// <summary>The base URL (http:// for h2c, https://localhost for h2).</summary>
    public string Url { get; private set; } = "";

    /// <summary>What the gRPC service saw.</summary>
    public EchoCalls Calls { get; }

    /// <summary>Requests to <c>/health</c> by the gateway's health checks, over HTTP/2.</summary>
    public int Probes => Volatile.Read(ref _probes);

    /// <summary>Completes when a request to <c>/slow</c> was cancelled.</summary>
    public TaskCompletionSource SlowCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts the upstream: h2c, or h2 with <paramref name="certificate"/>.</summary>
    public static async Task<Http2Upstream> StartAsync(X509Certificate2? certificate = null)
    {
        var calls = new EchoCalls();
        var app = LoopbackApp.Create(
            kestrel => kestrel.ConfigureEndpointDefaults(listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            }),
            services => services.AddSingleton(calls).AddGrpc());
        var upstream = new Http2Upstream(app, calls);
        app.MapGrpcService<EchoService>();
        app.MapPost("/echo", async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            context.Response.AppendTrailer("x-checksum", $"{body.Length}");
            await context.Response.WriteAsync($"{context.Request.Protocol} {context.Request.Method} {body}");
        });
        app.MapGet("/echo", async context =>
        {
            context.Response.AppendTrailer("x-checksum", "0");
            await context.Response.WriteAsync($"{context.Request.Protocol} {context.Request.Method} via {context.Request.Headers.Via} te {context.Request.Headers.TE}");
        });
        app.MapGet("/health", context =>
        {
            if (context.Request.Protocol == "HTTP/2" && context.Request.Headers.UserAgent == "gateway-health-check")
            {
                Interlocked.Increment(ref upstream._probes);
            }

            return Task.CompletedTask;
        });
        app.MapGet("/json/{name}", (string name, HttpContext context) => Results.Json(new { name, protocol = context.Request.Protocol }));
        app.MapPost("/slow", async context =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                upstream.SlowCancelled.TrySetResult();
            }
        });
        await app.StartAsync();
        var url = LoopbackApp.UrlOf(app);
        upstream.Url = certificate is null ? url : url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        return upstream;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
