using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Core.Configuration;
using Gateway.Core.Http;
using Gateway.Core.Pipeline;
using Gateway.Core.Proxy;
using Gateway.Core.Upstreams;
using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Benchmarks;

/// <summary>
/// Writing the upstream request head for a parsed 12-field GET, as the forwarder does for every request: request line,
/// the client's end-to-end fields byte for byte, and the gateway's Host, Via, X-Request-Id, traceparent and X-Forwarded-*.
/// The baseline head has plain <c>Connection: keep-alive</c>; the other names <c>X-Secret</c> in Connection and carries an
/// X-Secret field, which must be dropped (classified while parsing, so writing only tests a flag).
/// </summary>
public class UpstreamRequestWriterBenchmarks : IDisposable
{
    private static readonly ClientInfo Client = new("203.0.113.7", "http");

    private readonly DiscardPipeWriter _output = new();
    private readonly RequestHead _plain = new();
    private readonly RequestHead _connectionNamed = new();
    private readonly RequestContext _plainContext = new(Client, []);
    private readonly RequestContext _connectionNamedContext = new(Client, []);
    private Cluster _cluster = null!;

    /// <summary>Parses the sample heads once and checks what the writer emits.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _cluster = new Cluster(
            "orders", [new Destination("http://127.0.0.1:5001", PoolSettings.From(new UpstreamSettings()), UpstreamTls.Default)], [1], new RoundRobinPolicy(), new ClusterSettings());
        SampleRequests.ParseOrThrow(SampleRequests.BrowserGet, _plain);
        SampleRequests.ParseOrThrow(SampleRequests.ConnectionNamedGet, _connectionNamed);
        _plainContext.Begin(_plain, headLength: 0);
        _connectionNamedContext.Begin(_connectionNamed, headLength: 0);
        var head = _output.Captured(ConnectionNamedGet);
        if (!head.StartsWith("GET /api/v1/orders/84213?include=items&limit=20 HTTP/1.1\r\nHost: 127.0.0.1:5001\r\n", StringComparison.Ordinal)
            || head.Contains("X-Secret", StringComparison.Ordinal) || head.Contains("Connection", StringComparison.Ordinal)
            || !head.Contains("Via: 1.1 gateway\r\n", StringComparison.Ordinal) || !head.Contains("X-Forwarded-For: 203.0.113.7\r\n", StringComparison.Ordinal)
            || !head.Contains("Authorization: Bearer", StringComparison.Ordinal) || !head.EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The upstream head is not as expected:\n" + head);
        }
    }

    /// <summary>The 12-field GET with <c>Connection: keep-alive</c>.</summary>
    [Benchmark(Baseline = true)]
    public long PlainGet() => UpstreamRequestWriter.Write(_output, _plainContext, rewrite: null, _cluster.Destinations[0].Endpoint, upgrade: false);

    /// <summary>The 12-field GET with <c>Connection: keep-alive, X-Secret</c> and an X-Secret field.</summary>
    [Benchmark]
    public long ConnectionNamedGet() => UpstreamRequestWriter.Write(_output, _connectionNamedContext, rewrite: null, _cluster.Destinations[0].Endpoint, upgrade: false);

    /// <summary>Releases the heads' buffers and the cluster's (unused) pool.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _plain.Dispose();
        _connectionNamed.Dispose();
        _cluster?.Dispose();
        GC.SuppressFinalize(this);
    }
}
