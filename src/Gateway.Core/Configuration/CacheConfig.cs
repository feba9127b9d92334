namespace Gateway.Core.Configuration;

/// <summary>A named response cache that routes enable with <c>policies.cache</c>: its size, its lifetimes and what tells its entries apart.</summary>
public sealed record CacheConfig
{
    /// <summary>How long a response stays fresh when the upstream says nothing about it ("30s"); null stores such responses only with a Last-Modified to judge by.</summary>
    public string? Ttl { get; set; }

    /// <summary>The memory the cache's entries may take in all ("64MB", "512KB", or bytes).</summary>
    public string MaxBytes { get; set; } = "64MB";

    /// <summary>The largest response the cache stores; larger ones pass through unstored.</summary>
    public string MaxEntryBytes { get; set; } = "1MB";

    /// <summary>How long after it went stale an entry is still served while one request refreshes it in the background; null for none unless the upstream says.</summary>
    public string? StaleWhileRevalidate { get; set; }

    /// <summary>How long after it went stale an entry is still served when the upstream fails or cannot be reached; null for none unless the upstream says.</summary>
    public string? StaleIfError { get; set; }

    /// <summary>Request fields whose values are part of the key (beyond method, host, path and query).</summary>
    public List<string> KeyHeaders { get; set; } = [];

    /// <summary>True to key on the query's parameters in sorted order, so <c>?a=1&amp;b=2</c> and <c>?b=2&amp;a=1</c> share an entry.</summary>
    public bool SortQuery { get; set; }

    /// <summary>When set, only these query parameters are part of the key (in this order); the others are ignored.</summary>
    public List<string>? QueryParameters { get; set; }

    /// <summary>True to keep one entry per authenticated consumer, so responses to authenticated requests are stored for their consumer alone.</summary>
    public bool KeyByConsumer { get; set; }

    /// <summary>True to let a client's <c>Cache-Control: no-cache</c> skip the stored entry (the answer still refreshes it).</summary>
    public bool HonourClientNoCache { get; set; }

    /// <summary>True to share entries between gateway instances through Redis (GATEWAY_REDIS), the memory store in front.</summary>
    public bool Shared { get; set; }

    /// <summary>How long a request waits for another one already fetching the same entry before it goes upstream itself.</summary>
    public string CoalesceWait { get; set; } = "10s";
}
