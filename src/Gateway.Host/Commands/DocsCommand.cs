using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Core.Configuration;
using Gateway.Core.Docs;
using Gateway.Host.Logging;
using Microsoft.Extensions.Logging;

namespace Gateway.Host.Commands;

/// <summary>
/// <c>gateway docs --out DIR</c>: writes a configuration's OpenAPI documents (<c>openapi.json</c>, <c>openapi-NAME.json</c> per
/// named frontend) and its diagram (<c>diagram.mmd</c>) without binding a listener. Clusters' own documents are fetched as the
/// admin listener fetches them (each destination in order, 2 s a try); one that cannot be read is left out, with a warning on stderr.
/// </summary>
internal static class DocsCommand
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the files of <paramref name="config"/> into <paramref name="folder"/> (created when missing) and one line per file to <paramref name="output"/>; warnings go to <paramref name="log"/>.</summary>
    public static async Task WriteAsync(GatewayConfig config, string folder, TextWriter output, GatewayLog log)
    {
        Directory.CreateDirectory(folder);
        using var loggers = LoggerFactory.Create(logging => GatewayLogProvider.Use(logging, log));
        using var fetcher = new UpstreamDocuments(TimeSpan.FromSeconds(2), loggers.CreateLogger("Gateway.Docs"));
        var upstream = await fetcher.ForAsync(config, name => config.Clusters[name].Destinations.Select(destination => destination.Url)).ConfigureAwait(false);
        var files = new List<(string Name, Func<Stream, Task> Write)> { ("openapi.json", stream => WriteJsonAsync(stream, OpenApiGenerator.Generate(config, null, upstream))) };
        files.AddRange(config.Frontends.Keys.Select(name => ($"openapi-{name}.json", (Func<Stream, Task>)(stream => WriteJsonAsync(stream, OpenApiGenerator.Generate(config, name, upstream))))));
        files.Add(("diagram.mmd", async stream =>
        {
            await using var text = new StreamWriter(stream);
            await text.WriteAsync(RouteDiagram.Of(config).ToMermaid()).ConfigureAwait(false);
        }));
        foreach (var (name, write) in files)
        {
            var path = Path.Combine(folder, name);
            await using (var stream = File.Create(path))
            {
                await write(stream).ConfigureAwait(false);
            }

            await output.WriteLineAsync($"wrote {path}").ConfigureAwait(false);
        }
    }

    private static async Task WriteJsonAsync(Stream stream, JsonObject document)
    {
        await using var json = new Utf8JsonWriter(stream, Indented);
        document.WriteTo(json);
        await json.FlushAsync().ConfigureAwait(false);
    }
}
