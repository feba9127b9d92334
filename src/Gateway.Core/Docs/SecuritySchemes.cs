using System.Text.Json.Nodes;
using Gateway.Core.Configuration;

namespace Gateway.Core.Docs;

/// <summary>An <c>authentication</c> entry as an OpenAPI security scheme: JWT bearer tokens as HTTP bearer, API keys as <c>apiKey</c> in their header or query parameter.</summary>
internal static class SecuritySchemes
{
    /// <summary>The security scheme of <paramref name="entry"/>.</summary>
    public static JsonObject Of(AuthenticationConfig entry)
    {
        if (entry.ApiKey is { } apiKey)
        {
            return new JsonObject
            {
                ["type"] = "apiKey",
                ["in"] = apiKey.Header is null ? "query" : "header",
                ["name"] = apiKey.Header ?? apiKey.Query,
                ["description"] = $"An API key issued to each consumer ({apiKey.Keys.Count} configured).",
            };
        }

        var jwt = entry.Jwt ?? new JwtConfig();
        var description = new List<string> { "A JWT bearer token in the Authorization field." };
        if (jwt.Issuer is { } issuer)
        {
            description.Add($"Issuer: {issuer}.");
        }

        if (jwt.Audiences.Count > 0)
        {
            description.Add($"Audiences: {string.Join(", ", jwt.Audiences)}.");
        }

        if (jwt.Algorithms.Count > 0)
        {
            description.Add($"Algorithms: {string.Join(", ", jwt.Algorithms)}.");
        }

        return new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT", ["description"] = string.Join(' ', description) };
    }
}
