using System.Text.Json.Nodes;
using Gateway.Core.Docs;
using Gateway.Core.Snapshots;
using Gateway.Core.Upstreams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Host.Admin;

/// <summary>
/// The documentation of the running snapshot on the admin listener: <c>GET /openapi.json</c> (the default frontend),
/// <c>GET /openapi/NAME.json</c> (a named frontend; 404 for an unknown one), <c>GET /diagram</c> (Mermaid) and
/// <c>GET /docs</c> (the page for a person). Clusters' own documents are fetched through <see cref="UpstreamDocuments"/>.
/// </summary>
internal static class DocsEndpoints
{
    /// <summary>Maps the documentation endpoints on <paramref name="app"/>.</summary>
    public static void Map(WebApplication app, Func<GatewaySnapshot> snapshot, UpstreamDocuments upstream)
    {
        app.MapGet("/openapi.json", async context =>
        {
            var running = snapshot();
            var document = OpenApiGenerator.Generate(running.Config, null, await UpstreamOf(running, upstream).ConfigureAwait(false));
            await AdminEndpoints.WriteJsonAsync(context, StatusCodes.Status200OK, json => document.WriteTo(json)).ConfigureAwait(false);
        });
        app.MapGet("/openapi/{name}.json", async context =>
        {
            var running = snapshot();
            var name = context.Request.RouteValues["name"]?.ToString() ?? "";
            if (!running.Config.Frontends.ContainsKey(name))
            {
                await AdminEndpoints.WriteProblemAsync(context, StatusCodes.Status404NotFound, $"There is no frontend \"{name}\"; /routes lists them.").ConfigureAwait(false);
                return;
            }

            var document = OpenApiGenerator.Generate(running.Config, name, await UpstreamOf(running, upstream).ConfigureAwait(false));
            await AdminEndpoints.WriteJsonAsync(context, StatusCodes.Status200OK, json => document.WriteTo(json)).ConfigureAwait(false);
        });
        app.MapGet("/diagram", context =>
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync(RouteDiagram.Of(snapshot().Config).ToMermaid(), context.RequestAborted);
        });
        app.MapGet("/docs", async context =>
        {
            var running = snapshot();
            var documents = await UpstreamOf(running, upstream).ConfigureAwait(false);
            var pages = new List<(string, JsonObject)> { ("/openapi.json", OpenApiGenerator.Generate(running.Config, null, documents)) };
            pages.AddRange(running.Config.Frontends.Keys.Select(name => ($"/openapi/{name}.json", OpenApiGenerator.Generate(running.Config, name, documents))));
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.ContentSecurityPolicy = DocsPage.ContentSecurityPolicy;
            await context.Response.WriteAsync(DocsPage.Render(pages, RouteDiagram.Of(running.Config)), context.RequestAborted).ConfigureAwait(false);
        });
    }

    /// <summary>The documents <paramref name="running"/>'s clusters publish, each fetched from its healthy destinations first.</summary>
    private static Task<IReadOnlyDictionary<string, UpstreamDocument>> UpstreamOf(GatewaySnapshot running, UpstreamDocuments upstream) =>
        upstream.ForAsync(running.Config, name => running.Clusters.TryGetValue(name, out var cluster)
            ? cluster.Destinations.OrderBy(destination => destination.Health.State == DestinationState.Healthy ? 0 : 1).Select(destination => destination.Address)
            : []);
}
