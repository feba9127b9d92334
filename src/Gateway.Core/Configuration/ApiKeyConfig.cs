namespace Gateway.Core.Configuration;

/// <summary>API keys as configured: where a caller sends its key, and the keys, stored only as SHA-256 hashes, by consumer name.</summary>
public sealed record ApiKeyConfig
{
    /// <summary>The request field that carries the key (e.g. "X-Api-Key"); exclusive with <see cref="Query"/>.</summary>
    public string? Header { get; set; }

    /// <summary>The query parameter that carries the key (e.g. "api_key"); exclusive with <see cref="Header"/>.</summary>
    public string? Query { get; set; }

    /// <summary>The keys by consumer name, each written "sha256:" and the hex of the key's SHA-256.</summary>
    public Dictionary<string, string> Keys { get; set; } = [];
}
