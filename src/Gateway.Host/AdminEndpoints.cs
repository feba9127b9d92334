using System.Text.Encodings.Web;
using System.Text.Json;
using Gateway.Core.Caching;
using Gateway.Core.Docs;
using Gateway.Core.Http;
using Gateway.Core.Observability;
using Gateway.Core.Snapshots;
using Gateway.Core.Upstreams;
using Gateway.Host.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Host;

/// <summary>
/// The admin listener's endpoints: liveness and readiness, Prometheus metrics, the running configuration with its reload
/// (<c>GET /config</c>, <c>POST /config/reload</c>), the clusters' destinations with their health (<c>GET /clusters</c>), the
/// routes (<c>GET /routes</c>), which route a request would take and why (<c>GET /explain</c>), cache purges
/// (<c>DELETE /cache</c>), and the documentation generated from the routes (<c>GET /openapi.json</c>,
/// <c>/openapi/NAME.json</c>, <c>/diagram</c>, <c>/docs</c>).
/// JSON answers; errors are <c>application/problem+json</c>.
/// </summary>
internal static class AdminEndpoints
{
    /// <summary>Readable JSON for operators: quotes and apostrophes in error messages stay as they are (no HTML is ever built from it).</summary>
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Maps every admin endpoint on <paramref name="app"/>; <c>/readyz</c> answers 503 while <paramref name="ready"/> says no.
    /// With <paramref name="token"/>, all but the probes and metrics require it.
    /// </summary>
    public static void Map(
        WebApplication app, Func<bool> ready, GatewayMetrics? metrics, ConfigReloader reloader, Func<GatewaySnapshot> snapshot, AdminToken? token,
        CachePurges purges, ILogger docsLogger)
    {
        // Operators and their tools call the admin listener, never a web page: a request a browser sends on a page's behalf
        // (it says Origin or Sec-Fetch-Site) is refused, so no site can make a browser reload the configuration. A GET that a
        // person started in the browser itself (Sec-Fetch-Site: none: typed or bookmarked, never sent for a page) may read /docs.
        app.Use(async (context, next) =>
        {
            var typedByPerson = HttpMethods.IsGet(context.Request.Method) && context.Request.Headers["Sec-Fetch-Site"] == "none";
            if (context.Request.Headers.ContainsKey("Origin") || (context.Request.Headers.ContainsKey("Sec-Fetch-Site") && !typedByPerson))
            {
                await WriteProblemAsync(context, StatusCodes.Status403Forbidden, "The admin listener does not answer requests made by web pages.").ConfigureAwait(false);
                return;
            }

            if (token is not null && !AdminToken.OpenPaths.Contains(context.Request.Path.Value ?? "") && !token.Accepts(context.Request.Headers.Authorization))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await WriteProblemAsync(context, StatusCodes.Status401Unauthorized, "The admin API needs the bearer token of GATEWAY_ADMIN_TOKEN.").ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });

        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", () => ready()
            ? Results.Text("ready\n")
            : Results.Text("draining\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        if (metrics is not null)
        {
            app.MapGet("/metrics", async context =>
            {
                context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
            });
        }

        app.MapGet("/routes", context => WriteJsonAsync(context, StatusCodes.Status200OK, json => RouteListing.Write(json, snapshot().Routes)));
        app.MapGet("/explain", context => RouteExplainer.AnswerAsync(context, snapshot()));
        app.MapGet("/clusters", context => WriteJsonAsync(context, StatusCodes.Status200OK, json => WriteClusters(json, snapshot().Clusters)));
        var upstreamDocuments = new UpstreamDocuments(TimeSpan.FromSeconds(2), docsLogger);
        app.Lifetime.ApplicationStopped.Register(upstreamDocuments.Dispose);
        DocsEndpoints.Map(app, snapshot, upstreamDocuments);
        app.MapGet("/config", context => WriteJsonAsync(context, StatusCodes.Status200OK, reloader.Status.WriteTo));
        app.MapDelete("/cache", context => PurgeAsync(context, purges));
        app.MapPost("/config/reload", async context =>
        {
            var status = await reloader.ReloadAsync("admin").ConfigureAwait(false);
            if (status.LastReload?.Error is { } error)
            {
                await WriteProblemAsync(context, StatusCodes.Status400BadRequest, $"The configuration was refused and the running one keeps serving: {error}").ConfigureAwait(false);
                return;
            }

            await WriteJsonAsync(context, StatusCodes.Status200OK, status.WriteTo).ConfigureAwait(false);
        });
    }

    /// <summary>Answers <c>DELETE /cache?key=/path</c> or <c>DELETE /cache?prefix=/path/</c> with <c>{"purged": N}</c>.</summary>
    private static async Task PurgeAsync(HttpContext context, CachePurges purges)
    {
        var query = context.Request.Query;
        var (key, prefix) = (query["key"].ToString(), query["prefix"].ToString());
        if ((key.Length == 0) == (prefix.Length == 0) || !(key.StartsWith('/') || prefix.StartsWith('/')))
        {
            await WriteProblemAsync(context, StatusCodes.Status400BadRequest, "Name what to purge with one of key=/path or prefix=/path/.").ConfigureAwait(false);
            return;
        }

        var purged = await purges.PurgeAsync(new CachePurge(key.Length > 0 ? key : prefix, IsPrefix: prefix.Length > 0)).ConfigureAwait(false);
        await WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteNumber("purged"u8, purged);
            json.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>Writes each cluster's destinations: URL, state (healthy, unhealthy, ejected), requests in flight, and tries finished and failed.</summary>
    private static void WriteClusters(Utf8JsonWriter json, IReadOnlyDictionary<string, Cluster> clusters)
    {
        json.WriteStartObject();
        foreach (var (name, cluster) in clusters)
        {
            json.WriteStartObject(name);
            json.WriteStartArray("destinations"u8);
            foreach (var destination in cluster.Destinations)
            {
                json.WriteStartObject();
                json.WriteString("url"u8, destination.Address);
                json.WriteString("state"u8, destination.Health.State switch
                {
                    DestinationState.Unhealthy => "unhealthy",
                    DestinationState.Ejected => "ejected",
                    _ => "healthy",
                });
                json.WriteNumber("inFlight"u8, destination.InFlight);
                json.WriteNumber("requests"u8, destination.Health.Requests);
                json.WriteNumber("failures"u8, destination.Health.Failures);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    /// <summary>Writes an RFC 9457 problem.</summary>
    internal static Task WriteProblemAsync(HttpContext context, int status, string detail) =>
        WriteJsonAsync(context, status, json => ProblemJson.Write(json, status, detail), "application/problem+json");

    /// <summary>Writes a JSON answer of <paramref name="status"/> that <paramref name="write"/> fills.</summary>
    internal static async Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write, string contentType = "application/json")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter, JsonOptions);
        write(json);
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
