using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>
/// Upstream JSON services for aggregation tests, on 127.0.0.1: users, orders and shipments; a field that would climb
/// out of its path; an echo of what arrived; one that fails every other request;
/// answers with any status, as text, or too large; a barrier that answers only once two requests wait at it (so a
/// test can tell parts ran at once without measuring time); and an endpoint that never answers until disposal.
/// </summary>
internal sealed class JsonServices : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _bothAtBarrier = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _atBarrier;
    private int _flaky;

    private JsonServices(WebApplication app) => _app = app;

    /// <summary>The base URL.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The targets requested, in arrival order.</summary>
    public ConcurrentQueue<string> Targets { get; } = new();

    /// <summary>Starts the services.</summary>
    public static async Task<JsonServices> StartAsync()
    {
        var app = LoopbackApp.Create();
        var services = new JsonServices(app);
        app.Use(async (context, next) =>
        {
            services.Targets.Enqueue(context.Request.Path + context.Request.QueryString);
            await next(context);
        });
        app.MapGet("/users/{id}", (string id) => Results.Json(new { id, name = "Ada" }));
        app.MapGet("/orders", (string user) => Results.Json(new { user, items = new[] { new { id = "o-1", total = 12 }, new { id = "o-2", total = 30 } } }));
        app.MapGet("/shipments/{id}", (string id) => Results.Json(new { id, status = "shipped", eta = "2026-12-03", carrier = "ACME" }));
        app.MapGet("/evil", () => Results.Json(new { next = "../admin" }));
        app.MapGet("/echo/{**rest}", (HttpContext context) => Results.Json(new
        {
            target = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget,
            acceptLanguage = context.Request.Headers.AcceptLanguage.ToString(),
            userId = context.Request.Headers["X-User-Id"].ToString(),
            custom = context.Request.Headers["X-Custom"].ToString(),
        }));
        app.MapGet("/status/{code:int}", (int code) => Results.Json(new { code }, statusCode: code));
        app.MapGet("/flaky", () => Interlocked.Increment(ref services._flaky) % 2 == 1 ? Results.StatusCode(503) : Results.Json(new { ok = true }));
        app.MapGet("/text", () => Results.Text("plain", "text/plain"));
        app.MapGet("/big", () => Results.Json(new { data = new string('x', 4096) }));
        app.MapGet("/hang", async () =>
        {
            await services._release.Task;
            return Results.Json(new { late = true });
        });
        app.MapGet("/barrier/{name}", async (string name) =>
        {
            if (Interlocked.Increment(ref services._atBarrier) == 2)
            {
                services._bothAtBarrier.TrySetResult();
            }

            await services._bothAtBarrier.Task.WaitAsync(TimeSpan.FromSeconds(20));
            return Results.Json(new { name });
        });
        await app.StartAsync();
        services.Url = LoopbackApp.UrlOf(app);
        return services;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _release.TrySetResult();
        await _app.DisposeAsync();
    }
}
