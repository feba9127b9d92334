using Gateway.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Host.Tests.Caching;

/// <summary>
/// An upstream for cache tests: <c>GET /products/{id}</c> answers "product {id} v{Version}" with the headers a test sets,
/// honours If-None-Match against its ETag, can be made to fail or to hold its answers until released, and counts the
/// requests it saw (with their conditional fields).
/// </summary>
internal sealed class CacheUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private CacheUpstream(WebApplication app) => _app = app;

    /// <summary>The base URL.</summary>
    public string Url => LoopbackApp.UrlOf(_app);

    /// <summary>Requests seen.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The If-None-Match of each request seen, or null.</summary>
    public List<string?> Conditions { get; } = [];

    /// <summary>The version in answers; a test bumps it to tell a new answer from a stored one.</summary>
    public int Version { get; set; } = 1;

    /// <summary>The Cache-Control sent, or null for none.</summary>
    public string? CacheControl { get; set; } = "max-age=60";

    /// <summary>Extra headers sent on every answer.</summary>
    public Dictionary<string, string> Headers { get; } = [];

    /// <summary>The ETag sent (quoted), or null for none.</summary>
    public string? ETag { get; set; }

    /// <summary>A status to answer instead (e.g. 503), or 0 to answer normally.</summary>
    public int FailWith { get; set; }

    /// <summary>When set, answers wait for it.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Starts the upstream.</summary>
    public static async Task<CacheUpstream> StartAsync()
    {
        var app = LoopbackApp.Create();
        var upstream = new CacheUpstream(app);
        app.MapGet("/products/{id}", upstream.AnswerAsync);
        app.MapPost("/products/{id}", upstream.AnswerAsync);
        await app.StartAsync();
        return upstream;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task AnswerAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        lock (Conditions)
        {
            Conditions.Add(context.Request.Headers.IfNoneMatch.Count > 0 ? context.Request.Headers.IfNoneMatch.ToString() : null);
        }

        if (Gate is { } gate)
        {
            await gate.Task;
        }

        if (FailWith != 0)
        {
            context.Response.StatusCode = FailWith;
            return;
        }

        foreach (var (name, value) in Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (CacheControl is not null)
        {
            context.Response.Headers.CacheControl = CacheControl;
        }

        if (ETag is not null)
        {
            context.Response.Headers.ETag = ETag;
            if (context.Request.Headers.IfNoneMatch == ETag)
            {
                context.Response.StatusCode = 304;
                return;
            }
        }

        var language = context.Request.Headers.AcceptLanguage.ToString();
        await context.Response.WriteAsync($"product {context.Request.RouteValues["id"]} v{Version}{(language.Length > 0 ? " " + language : "")}");
    }
}
