using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Core.Configuration;
using Gateway.Core.Observability;
using Gateway.Core.Pipeline;
using Gateway.Core.Server;
using Gateway.Core.Snapshots;
using Gateway.Core.Upstreams;

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

    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private readonly LoopbackUpstream _ok = new("200 OK");
    private readonly LoopbackUpstream _unavailable = new("503 Service Unavailable");
    private readonly Pipe _toGateway = new();
    private readonly Pipe _toClient = new();
    private GatewayEngine _engine = null!;
    private Http1Connection _connection = null!;
    private Task _serving = Task.CompletedTask;

    /// <summary>Starts the gateway's connection loop over the in-memory pipes and checks that each route answers 200 "ok".</summary>
    [GlobalSetup]
    public void Setup()
    {
        var json = Config.Replace("{ok}", _ok.Url, StringComparison.Ordinal)
            .Replace("{refusing}", LoopbackUpstream.Refusing(), StringComparison.Ordinal)
            .Replace("{unavailable}", _unavailable.Url, StringComparison.Ordinal);
        var snapshot = SnapshotCompiler.Compile(ConfigLoader.Parse(json, "bench.json"), new UpstreamSettings(), "bench.json");
        _engine = new GatewayEngine(new GatewaySettings(), snapshot, new RequestReporter(null, null));
        _connection = new Http1Connection(_engine, new DuplexPipe(_toGateway.Reader, _toClient.Writer), new ClientInfo("127.0.0.1", "http"), () => { }, CancellationToken.None);
        _serving = _connection.RunAsync();
        foreach (var path in new[] { "/first-try", "/failover", "/retry" })
        {
            var response = ExchangeAsync(path, keep: true).GetAwaiter().GetResult();
            if (!response.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal) || !response.EndsWith("\r\n\r\nok", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{path} answered: {response}");
            }
        }
    }

    /// <summary>A GET answered by its first try.</summary>
    [Benchmark(Baseline = true)]
    public Task FirstTry() => ExchangeAsync("/first-try", keep: false);

    /// <summary>A GET whose first destination refuses the connection, answered by the second.</summary>
    [Benchmark]
    public Task FailoverAfterRefusedConnect() => ExchangeAsync("/failover", keep: false);

    /// <summary>A GET whose first destination answers 503, retried on the second.</summary>
    [Benchmark]
    public Task RetryAfter503() => ExchangeAsync("/retry", keep: false);

    /// <inheritdoc/>
    public void Dispose()
    {
        _toGateway.Writer.Complete();
        _serving.GetAwaiter().GetResult();
        _connection.Dispose();
        _engine.Dispose();
        _ok.Dispose();
        _unavailable.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Sends a GET for <paramref name="path"/> and reads its response (head and the 2-byte body); the text when <paramref name="keep"/>.</summary>
    private async Task<string> ExchangeAsync(string path, bool keep)
    {
        await _toGateway.Writer.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n"));
        while (true)
        {
            var read = await _toClient.Reader.ReadAsync();
            var buffer = read.Buffer;
            var end = IndexOfHeadEnd(buffer);
            if (end >= 0 && buffer.Length >= end + HeadEnd.Length + 2)
            {
                var response = buffer.Slice(0, end + HeadEnd.Length + 2);
                var text = keep ? Encoding.ASCII.GetString(response) : "";
                _toClient.Reader.AdvanceTo(response.End);
                return text;
            }

            _toClient.Reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static long IndexOfHeadEnd(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> head, HeadEnd, advancePastDelimiter: false) ? head.Length : -1;
    }

    /// <summary>The gateway's side of the in-memory connection.</summary>
    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
