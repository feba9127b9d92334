using BenchmarkDotNet.Attributes;

namespace Gateway.Benchmarks;

/// <summary>
/// What a request pays when its first try fails, end to end through one client connection's HTTP/1.1 loop (in-memory
/// client pipes) to upstreams on loopback sockets: a GET answered by its first try (baseline); the same GET whose first
/// destination refuses the connection, failed over to the second without any retry configuration; and the same GET whose
/// first destination answers 503, retried on the second (<c>"retry": { "on": ["503"], "backoff": "0ms" }</c>). Each
/// cluster uses the "First" balancing with passive checks off, so every request meets the failure.
/// </summary>
[MemoryDiagnoser]
public class RetriedRequestBenchmarks : IDisposable
{
    private const string Config = """
        {
          "clusters": {
            "healthy":  { "destinations": ["{ok}"], "loadBalancing": "First" },
            "refusing": { "destinations": ["{refusing}", "{ok}"], "loadBalancing": "First", "health": { "passive": { "consecutiveFailures": 0 } } },
            "failing":  { "destinations": ["{unavailable}", "{ok}"], "loadBalancing": "First", "health": { "passive": { "consecutiveFailures": 0 } } }
          },
          "routes": [
            { "id": "first-try", "match": { "path": "/first-try" }, "cluster": "healthy" },
            { "id": "failover", "match": { "path": "/failover" }, "cluster": "refusing" },
            { "id": "retry", "match": { "path": "/retry" }, "cluster": "failing", "retry": { "attempts": 2, "on": ["503"], "backoff": "0ms" } }
          ]
        }
        """;

    private static readonly byte[] FirstTryRequest = InMemoryConnection.Get("/first-try");
    private static readonly byte[] FailoverRequest = InMemoryConnection.Get("/failover");
    private static readonly byte[] RetryRequest = InMemoryConnection.Get("/retry");
    private readonly LoopbackUpstream _ok = new("200 OK");
    private readonly LoopbackUpstream _unavailable = new("503 Service Unavailable");
    private InMemoryConnection _client = null!;

    /// <summary>Starts the gateway's connection loop and checks that each route answers 200 "ok".</summary>
    [GlobalSetup]
    public void Setup()
    {
        _client = new InMemoryConnection(Config.Replace("{ok}", _ok.Url, StringComparison.Ordinal)
            .Replace("{refusing}", LoopbackUpstream.Refusing(), StringComparison.Ordinal)
            .Replace("{unavailable}", _unavailable.Url, StringComparison.Ordinal));
        foreach (var request in new[] { FirstTryRequest, FailoverRequest, RetryRequest })
        {
            var response = _client.ExchangeTextAsync(request, 2).GetAwaiter().GetResult();
            if (!response.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal) || !response.EndsWith("\r\n\r\nok", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"answered: {response}");
            }
        }
    }

    /// <summary>A GET answered by its first try.</summary>
    [Benchmark(Baseline = true)]
    public Task FirstTry() => _client.ExchangeAsync(FirstTryRequest, 2);

    /// <summary>A GET whose first destination refuses the connection, answered by the second.</summary>
    [Benchmark]
    public Task FailoverAfterRefusedConnect() => _client.ExchangeAsync(FailoverRequest, 2);

    /// <summary>A GET whose first destination answers 503, retried on the second.</summary>
    [Benchmark]
    public Task RetryAfter503() => _client.ExchangeAsync(RetryRequest, 2);

    /// <inheritdoc/>
    public void Dispose()
    {
        _client.Dispose();
        _ok.Dispose();
        _unavailable.Dispose();
        GC.SuppressFinalize(this);
    }
}
