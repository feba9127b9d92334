using Gateway.Core.Configuration;

namespace Gateway.Core.Caching;

/// <summary>A named cache's configuration, compiled: lifetimes in seconds (-1 when not set), sizes in bytes, key fields as bytes.</summary>
/// <param name="Name">The cache's name in the configuration.</param>
/// <param name="Definition">The configuration it was compiled from.</param>
internal sealed record CacheSettings(string Name, CacheConfig Definition)
{
    /// <summary>The definition as JSON: a reload whose definition reads the same keeps the cache and its entries.</summary>
    public string Signature { get; } = SignatureOf(Definition);

    /// <summary>The lifetime of responses the upstream says nothing about, or -1.</summary>
    public double Ttl { get; } = Seconds(Definition.Ttl);

    /// <summary>How long stale entries are served while refreshed in the background, or -1 (the upstream's directive then decides).</summary>
    public double StaleWhileRevalidate { get; } = Seconds(Definition.StaleWhileRevalidate);

    /// <summary>How long stale entries are served when the upstream fails, or -1 (the upstream's directive then decides).</summary>
    public double StaleIfError { get; } = Seconds(Definition.StaleIfError);

    /// <summary>The size bound of all entries.</summary>
    public long MaxBytes { get; } = ByteSize.TryParse(Definition.MaxBytes, out var bytes, out _) ? bytes : 0;

    /// <summary>The size bound of one entry.</summary>
    public int MaxEntryBytes { get; } = ByteSize.TryParse(Definition.MaxEntryBytes, out var bytes, out _) ? (int)bytes : 0;

    /// <summary>The request fields that are part of the key.</summary>
    public byte[][] KeyHeaders { get; } = [.. Definition.KeyHeaders.Select(System.Text.Encoding.ASCII.GetBytes)];

    /// <summary>The query parameters that are part of the key, or null for the whole query.</summary>
    public byte[][]? QueryParameters { get; } = Definition.QueryParameters?.Select(System.Text.Encoding.ASCII.GetBytes).ToArray();

    /// <summary>How long a request waits for another one fetching the same entry.</summary>
    public TimeSpan CoalesceWait { get; } = Duration.TryParse(Definition.CoalesceWait, out var wait, out _) ? wait : TimeSpan.Zero;

    /// <summary>The signature of <paramref name="definition"/>.</summary>
    public static string SignatureOf(CacheConfig definition) => System.Text.Json.JsonSerializer.Serialize(definition, ConfigJsonContext.Default.CacheConfig);

    private static double Seconds(string? duration) => Duration.TryParse(duration, out var value, out _) ? value.TotalSeconds : -1;
}
