using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>A real Kestrel upstream on 127.0.0.1:0 that records every request it receives and answers according to the path (see <see cref="HandleAsync"/>).</summary>
internal sealed class RecordingUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly TaskCompletionSource<string> _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrivals;
    private int _holding;

    private RecordingUpstream(WebApplication app, string name)
    {
        _app = app;
        Name = name;
    }

    /// <summary>The name this upstream puts in its answers and its <c>X-Upstream</c> header.</summary>
    public string Name { get; }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Requests whose head arrived (counted before the body is read).</summary>
    public int Arrivals => Volatile.Read(ref _arrivals);

    /// <summary>Requests currently waiting at <c>/hold</c>.</summary>
    public int Holding => Volatile.Read(ref _holding);

    /// <summary>The requests received in full, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Completes with the target of the first request that was aborted: its <c>HttpContext.RequestAborted</c> fired or its body was cut short.</summary>
    public Task<string> Aborted => _aborted.Task;

    /// <summary>Lets every <c>/hold</c> request (now and later) answer 200, and every <c>/late</c> one read its body.</summary>
    public void ReleaseHeld() => _release.TrySetResult();

    /// <summary>Starts an upstream named <paramref name="name"/>.</summary>
    public static async Task<RecordingUpstream> StartAsync(string name = "upstream")
    {
        var app = LoopbackApp.Create(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;

            // The tests decide how slowly bodies arrive; the upstream never cuts a slow one off by itself.
            kestrel.Limits.MinRequestBodyDataRate = null;
        });
        var upstream = new RecordingUpstream(app, name);
        app.Run(upstream.HandleAsync);
        await app.StartAsync();
        upstream.Url = LoopbackApp.UrlOf(app);
        return upstream;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        ReleaseHeld();
        await _app.DisposeAsync();
    }

    /// <summary>
    /// Records the request, then answers by its first path segment: <c>/hold</c> waits for <see cref="ReleaseHeld"/> (or the abort),
    /// <c>/late</c> waits for it before reading the body,
    /// <c>/bytes/N</c> sends N bytes with a Content-Length, <c>/stream/N</c> streams N bytes without one, <c>/hash</c> answers the
    /// SHA-256 of the body, <c>/hop</c> names a field in its own Connection header; anything else echoes "name METHOD target".
    /// </summary>
    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _arrivals);
        var request = context.Request;
        var target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var headers = request.Headers.SelectMany(h => h.Value.Select(v => KeyValuePair.Create(h.Key, v ?? ""))).ToList();
        var segments = (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var behaviour = segments.FirstOrDefault() ?? "";

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var kept = new MemoryStream();
        long length = 0;
        var buffer = new byte[64 * 1024];
        try
        {
            if (behaviour == "late")
            {
                await _release.Task.WaitAsync(context.RequestAborted);
            }

            int read;
            while ((read = await request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                length += read;
                if (behaviour != "hash")
                {
                    kept.Write(buffer, 0, read);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The body was cut short (the request was aborted): the arrival is counted, the request is not recorded.
            _aborted.TrySetResult(target);
            return;
        }

        var trailers = context.Features.Get<IHttpRequestTrailersFeature>() is { Available: true } feature
            ? feature.Trailers.SelectMany(h => h.Value.Select(v => KeyValuePair.Create(h.Key, v ?? ""))).ToList()
            : [];
        var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        _requests.Enqueue(new RecordedRequest(request.Method, target, request.Protocol, headers, trailers, kept.ToArray(), length, sha));

        var response = context.Response;
        response.Headers["X-Upstream"] = Name;
        switch (behaviour)
        {
            case "hold":
                Interlocked.Increment(ref _holding);
                try
                {
                    await _release.Task.WaitAsync(context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    _aborted.TrySetResult(target);
                    return;
                }
                finally
                {
                    Interlocked.Decrement(ref _holding);
                }

                await WriteTextAsync(response, "released");
                break;
            case "bytes":
                var fixedBody = Payload.Create(SizeOf(segments));
                response.ContentLength = fixedBody.Length;
                await WriteInPiecesAsync(response, fixedBody, flushEach: false);
                break;
            case "stream":
                await WriteInPiecesAsync(response, Payload.Create(SizeOf(segments)), flushEach: true);
                break;
            case "hash":
                await WriteTextAsync(response, sha);
                break;
            case "hop":
                response.Headers.Connection = "X-Hop-Secret";
                response.Headers["X-Hop-Secret"] = "1";
                response.Headers["X-End-To-End"] = "kept";
                await WriteTextAsync(response, "hop");
                break;
            default:
                await WriteTextAsync(response, $"{Name} {request.Method} {target}");
                break;
        }
    }

    private static int SizeOf(string[] segments) => int.Parse(segments[1], NumberStyles.None, CultureInfo.InvariantCulture);

    private static async Task WriteTextAsync(HttpResponse response, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        response.ContentType = "text/plain";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes);
    }

    private static async Task WriteInPiecesAsync(HttpResponse response, byte[] body, bool flushEach)
    {
        response.ContentType = "application/octet-stream";
        for (var offset = 0; offset < body.Length; offset += 16 * 1024)
        {
            await response.Body.WriteAsync(body.AsMemory(offset, Math.Min(16 * 1024, body.Length - offset)));
            if (flushEach)
            {
                await response.Body.FlushAsync();
            }
        }
    }
}
