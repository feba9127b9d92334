using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>
/// A real Kestrel upstream on 127.0.0.1:0 whose answer the test switches while it runs: every request (its body read
/// whole) waits <see cref="Delay"/>, then gets <see cref="Status"/> with the upstream's name as body and <c>X-Upstream</c>.
/// </summary>
internal sealed class SwitchableUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _arrived = new();
    private int _status = 200;
    private long _delayTicks;

    private SwitchableUpstream(WebApplication app, string name)
    {
        _app = app;
        Name = name;
    }

    /// <summary>The name it answers with.</summary>
    public string Name { get; }

    /// <summary>The base URL.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The status of every answer from now on.</summary>
    public int Status
    {
        get => Volatile.Read(ref _status);
        set => Volatile.Write(ref _status, value);
    }

    /// <summary>How long every request waits before its answer, from now on.</summary>
    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, value.Ticks);
    }

    /// <summary>"METHOD target" of every request that arrived (health probes included), in arrival order.</summary>
    public IReadOnlyList<string> Arrived => [.. _arrived];

    /// <summary>How many requests arrived for <paramref name="target"/> (probes of other paths not counted).</summary>
    public int ArrivalsFor(string target) => _arrived.Count(line => line.EndsWith(" " + target, StringComparison.Ordinal));

    /// <summary>Starts an upstream named <paramref name="name"/>.</summary>
    public static async Task<SwitchableUpstream> StartAsync(string name)
    {
        var app = LoopbackApp.Create();
        var upstream = new SwitchableUpstream(app, name);
        app.Run(upstream.HandleAsync);
        await app.StartAsync();
        upstream.Url = LoopbackApp.UrlOf(app);
        return upstream;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        _arrived.Enqueue($"{context.Request.Method} {target}");
        try
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, context.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            return;
        }

        context.Response.StatusCode = Status;
        context.Response.Headers["X-Upstream"] = Name;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(Name);
    }
}
