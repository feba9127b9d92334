using System.Text;
using BenchmarkDotNet.Attributes;

namespace Gateway.Benchmarks;

/// <summary>
/// A GET through one client connection's HTTP/1.1 loop (in-memory client pipes): forwarded to a service on a loopback
/// socket (the baseline), and answered from the response cache (every request a hit), for a ~10 KB JSON body.
/// </summary>
[MemoryDiagnoser]
public class CacheRequestBenchmarks : IDisposable
{
    private const string Config = """
        {
          "clusters": { "orders": { "destinations": ["{orders}"] } },
          "caches": { "orders": { "ttl": "1h" } },
          "routes": [
            { "id": "forward", "match": { "path": "/orders/{*rest}" }, "cluster": "orders" },
            { "id": "cached", "match": { "path": "/cached/{*rest}" }, "cluster": "orders", "policies": { "cache": "orders" } }
          ]
        }
        """;

    private static readonly byte[] ForwardRequest = InMemoryConnection.Get("/orders/7");
    private static readonly byte[] CachedRequest = InMemoryConnection.Get("/cached/7");
    private readonly LoopbackUpstream _orders = new("200 OK", "application/json", SampleJson.Orders);
    private InMemoryConnection _client = null!;

    /// <summary>Starts the gateway's connection loop, checks both answers byte for byte, and stores the cached route's entry.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _client = new InMemoryConnection(Config.Replace("{orders}", _orders.Url, StringComparison.Ordinal));
        foreach (var (request, cache) in new[] { (ForwardRequest, ""), (CachedRequest, "MISS"), (CachedRequest, "HIT") })
        {
            var response = _client.ExchangeTextAsync(request, SampleJson.Orders.Length).GetAwaiter().GetResult();
            if (!response.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal) || !response.EndsWith("\r\n\r\n" + Encoding.ASCII.GetString(SampleJson.Orders), StringComparison.Ordinal)
                || (cache.Length > 0 && !response.Contains($"X-Cache: {cache}\r\n", StringComparison.Ordinal)))
            {
                throw new InvalidOperationException($"answered: {response[..Math.Min(response.Length, 400)]}");
            }
        }
    }

    /// <summary>A GET forwarded to the orders service, its ~10 KB answer relayed.</summary>
    [Benchmark(Baseline = true)]
    public Task Forward10KB() => _client.ExchangeAsync(ForwardRequest, SampleJson.Orders.Length);

    /// <summary>The same GET on a cached route: a hit, answered from the stored bytes.</summary>
    [Benchmark]
    public Task CacheHit10KB() => _client.ExchangeAsync(CachedRequest, SampleJson.Orders.Length);

    /// <inheritdoc/>
    public void Dispose()
    {
        _client.Dispose();
        _orders.Dispose();
        GC.SuppressFinalize(this);
    }
}
