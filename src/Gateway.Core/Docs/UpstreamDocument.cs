using System.Text;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Gateway.Core.Docs;

/// <summary>
/// A cluster's own OpenAPI document, read with Microsoft.OpenApi (OpenAPI 2.0, 3.0, 3.1 or 3.2, JSON) and written back as
/// OpenAPI 3.1 JSON, with the base path of the destination that served it.
/// </summary>
/// <param name="Document">The document as OpenAPI 3.1 JSON.</param>
/// <param name="BasePath">The path of the destination's URL (e.g. <c>/v1</c>), or empty.</param>
public sealed record UpstreamDocument(JsonObject Document, string BasePath)
{
    /// <summary>The HTTP methods an OpenAPI path item holds operations under.</summary>
    public static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    /// <summary>Reads <paramref name="json"/>; throws <see cref="InvalidDataException"/> naming the first error when it is not a valid OpenAPI document.</summary>
    public static async Task<UpstreamDocument> ReadAsync(byte[] json, string basePath)
    {
        var (document, diagnostic) = OpenApiDocument.Parse(Encoding.UTF8.GetString(json), "json");
        if (document is null || diagnostic?.Errors.Count > 0)
        {
            throw new InvalidDataException($"not an OpenAPI document: {diagnostic?.Errors.FirstOrDefault()?.ToString() ?? "nothing read"}");
        }

        var normalized = await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1).ConfigureAwait(false);
        return new UpstreamDocument(JsonNode.Parse(normalized)?.AsObject() ?? [], basePath.TrimEnd('/'));
    }

    /// <summary>The path of the document's first server (<c>/api</c> of <c>https://example.com/api</c>), or empty.</summary>
    public string ServerPath
    {
        get
        {
            var url = (Document["servers"] as JsonArray)?.FirstOrDefault()?["url"]?.GetValue<string>() ?? "";
            return Uri.TryCreate(url, UriKind.Absolute, out var absolute) ? absolute.AbsolutePath.TrimEnd('/')
                : url.StartsWith('/') ? url.TrimEnd('/')
                : "";
        }
    }

    /// <summary>Every operation: its path as written, its method (lower case), the operation, and the parameters its path item gives all its operations.</summary>
    public IEnumerable<(string Path, string Method, JsonObject Operation, JsonArray? Shared)> Operations() =>
        from path in (Document["paths"] as JsonObject ?? []).Where(path => path.Value is JsonObject)
        from method in Methods
        where path.Value![method] is JsonObject
        select (path.Key, method, path.Value![method]!.AsObject(), path.Value["parameters"] as JsonArray);
}
