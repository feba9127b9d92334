namespace Gateway.Host.Tests.Docs;

/// <summary>The configuration the documentation tests serve: every kind of handler, API keys in a header and a query, a rate limit, a named frontend, and a cluster that publishes its own document.</summary>
internal static class DocsConfig
{
    /// <summary>The configuration, with the store cluster's destination at <paramref name="store"/>.</summary>
    public static string Json(string store) => $$"""
        {
          "frontends": { "mobile": { "hosts": ["m.example.com"] } },
          "routes": [
            { "id": "user", "match": { "path": "/users/{id}", "methods": ["GET", "DELETE"], "hosts": ["api.example.com"] }, "cluster": "users",
              "policies": { "authentication": ["keys"], "rateLimit": ["per-client"] } },
            { "id": "files", "match": { "path": "/files/{*rest}" }, "cluster": "users" },
            { "id": "store", "match": { "path": "/store/{*rest}" }, "cluster": "store", "rewrite": { "stripPrefix": "/store" } },
            { "id": "item", "match": { "path": "/shop/item/{id}", "methods": ["GET"] }, "cluster": "store", "rewrite": { "path": "/items/{id}" },
              "policies": { "cache": "catalogue" } },
            { "id": "dashboard", "match": { "path": "/dashboard/{userId}", "methods": ["GET"] },
              "aggregate": { "parts": { "user": { "cluster": "users", "path": "/users/{userId}" }, "orders": { "cluster": "users", "path": "/orders/{userId}", "optional": true } } } },
            { "id": "moved", "match": { "path": "/v0/{*rest}" }, "respond": { "status": 308, "headers": { "Location": "/v1/{rest}" } } },
            { "id": "profile", "frontend": "mobile", "match": { "path": "/profile/{id}", "methods": ["GET"] }, "cluster": "users",
              "policies": { "authentication": ["query-keys"] } }
          ],
          "clusters": {
            "users": { "destinations": ["http://127.0.0.1:1"] },
            "store": { "destinations": ["{{store}}"], "openapi": "/openapi.json" }
          },
          "authentication": {
            "keys": { "apiKey": { "header": "X-Api-Key", "keys": { "partner": "sha256:c48a01f49fd0f2cc404bc3cbbc80e91457a3d41bb429a695243de4c61794155c" } } },
            "query-keys": { "apiKey": { "query": "api_key", "keys": { "app": "sha256:c48a01f49fd0f2cc404bc3cbbc80e91457a3d41bb429a695243de4c61794155c" } } }
          },
          "rateLimits": { "per-client": { "permits": 10, "period": "1s" } },
          "caches": { "catalogue": { "ttl": "30s", "staleIfError": "5m" } }
        }
        """;
}
