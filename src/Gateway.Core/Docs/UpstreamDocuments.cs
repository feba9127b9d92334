using System.Collections.Concurrent;
using System.Diagnostics;
using Gateway.Core.Configuration;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Docs;

/// <summary>
/// The OpenAPI documents that clusters publish (their <c>"openapi"</c> path), fetched when a gateway document is asked for,
/// never on the request path: from one destination after another (healthy ones first) until one answers, each try bounded
/// in time and size. A document is kept a minute, a failure ten seconds; a failure is logged and the gateway's document
/// goes on without that cluster's operations.
/// </summary>
public sealed class UpstreamDocuments : IDisposable
{
    /// <summary>The largest document read, in bytes.</summary>
    public const int MaxBytes = 4 << 20;

    private const int MaxTries = 3;
    private static readonly TimeSpan Kept = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan FailureKept = TimeSpan.FromSeconds(10);

    private readonly HttpClient _client;
    private readonly ILogger? _logger;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Fetches each try within <paramref name="bound"/>, logging failures to <paramref name="logger"/>.</summary>
    public UpstreamDocuments(TimeSpan bound, ILogger? logger)
    {
        _logger = logger;
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false, ConnectTimeout = bound })
        {
            Timeout = bound,
            MaxResponseContentBufferSize = MaxBytes,
        };
    }

    /// <summary>
    /// The documents of <paramref name="config"/>'s clusters that publish one, by cluster name; <paramref name="destinationsOf"/>
    /// gives a cluster's destination URLs in the order to try them.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, UpstreamDocument>> ForAsync(GatewayConfig config, Func<string, IEnumerable<string>> destinationsOf)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(destinationsOf);
        var fetches = config.Clusters
            .Where(cluster => cluster.Value.OpenApi is not null)
            .Select(cluster => (Name: cluster.Key, Document: Get(cluster.Key, cluster.Value.OpenApi!, [.. destinationsOf(cluster.Key)])))
            .ToList();
        var documents = new Dictionary<string, UpstreamDocument>(StringComparer.Ordinal);
        foreach (var (name, fetch) in fetches)
        {
            if (await fetch.ConfigureAwait(false) is { } document)
            {
                documents[name] = document;
            }
        }

        return documents;
    }

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();

    private Task<UpstreamDocument?> Get(string cluster, string path, List<string> destinations)
    {
        var key = $"{cluster} {path} {string.Join(' ', destinations.Order(StringComparer.Ordinal))}";
        var entry = _entries.AddOrUpdate(
            cluster,
            _ => Fetch(key, cluster, path, destinations),
            (_, held) => held.Key == key && !held.Expired ? held : Fetch(key, cluster, path, destinations));
        return entry.Document;
    }

    private Entry Fetch(string key, string cluster, string path, List<string> destinations)
    {
        var entry = new Entry(key);
        entry.Document = FetchAsync(entry, cluster, path, destinations);
        return entry;
    }

    private async Task<UpstreamDocument?> FetchAsync(Entry entry, string cluster, string path, List<string> destinations)
    {
        foreach (var destination in destinations.Take(MaxTries))
        {
            var url = destination.TrimEnd('/') + path;
            try
            {
                using var response = await _client.GetAsync(url).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidDataException($"it answered {(int)response.StatusCode}");
                }

                var document = await UpstreamDocument.ReadAsync(await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false), new Uri(destination).AbsolutePath).ConfigureAwait(false);
                entry.Keep(Kept);
                return document;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidDataException or IOException or UriFormatException)
            {
                if (_logger is not null)
                {
                    DocsLog.FetchFailed(_logger, cluster, url, ex is TaskCanceledException ? "no answer in time" : ex.Message);
                }
            }
        }

        entry.Keep(FailureKept);
        return null;
    }

    /// <summary>One cluster's fetch: what it fetched from (path and destinations), its outcome, and until when it holds.</summary>
    private sealed class Entry(string key)
    {
        private long _until = long.MaxValue;

        public string Key { get; } = key;

        public Task<UpstreamDocument?> Document { get; set; } = Task.FromResult<UpstreamDocument?>(null);

        public bool Expired => Stopwatch.GetTimestamp() > Volatile.Read(ref _until);

        public void Keep(TimeSpan time) => Volatile.Write(ref _until, Stopwatch.GetTimestamp() + (long)(time.TotalSeconds * Stopwatch.Frequency));
    }
}
