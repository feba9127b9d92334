using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Core.Http;
using Gateway.Core.Pipeline;
using Gateway.Core.Proxy;
using Gateway.Core.Upstreams;

namespace Gateway.Benchmarks;

/// <summary>
/// Writing response heads into a <see cref="System.IO.Pipelines.PipeWriter"/> (a discarding sink over one reused buffer):
/// parsing a typical upstream 200 head (5 fields plus Content-Length) and writing it with <see cref="ResponseHeadWriter.Write"/>,
/// as the forwarder relays it; the same response as a Node.js-style upstream sends it, with <c>Connection: keep-alive</c> and
/// <c>Keep-Alive: timeout=5</c> (hop-by-hop, dropped); and the gateway's own 404 (head and JSON body) as the connection's
/// <see cref="Http1ResponseWriter"/> answers it, response phase and field edits included.
/// </summary>
public class ResponseHeadWriterBenchmarks : IDisposable
{
    private static ReadOnlySpan<byte> RequestId => "0af7651916cd43dd8448eb211c80319c"u8;

    private static readonly ReadOnlySequence<byte> Typical = new(Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nDate: Tue, 18 Nov 2025 10:15:42 GMT\r\nServer: Kestrel\r\nCache-Control: private, max-age=60\r\n"
        + "ETag: \"a3f9c2e1b7\"\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 1832\r\n\r\n"));

    private static readonly ReadOnlySequence<byte> TypicalKeepAlive = new(Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nDate: Tue, 18 Nov 2025 10:15:42 GMT\r\nServer: Kestrel\r\nCache-Control: private, max-age=60\r\n"
        + "ETag: \"a3f9c2e1b7\"\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 1832\r\n"
        + "Connection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n"));

    private readonly DiscardPipeWriter _output = new();
    private readonly UpstreamResponseHead _response = new();
    private readonly RequestHead _head = new();
    private readonly RequestContext _context = new(new ClientInfo("203.0.113.7", "http"), []);
    private Http1ResponseWriter _responses = null!;

    /// <summary>Checks the outputs once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        SampleRequests.ParseOrThrow(SampleRequests.BrowserGet, _head);
        _context.Begin(_head, headLength: 0);
        var body = new RequestBodyReader(new System.IO.Pipelines.Pipe().Reader, _output, new HttpLimits());
        body.Start(_head);
        _responses = new Http1ResponseWriter(_context, body);
        _responses.Bind(_output, () => false);
        var head = _output.Captured(Upstream200);
        Require(head.StartsWith("HTTP/1.1 200 OK\r\n", StringComparison.Ordinal) && head.Contains("ETag: \"a3f9c2e1b7\"\r\n", StringComparison.Ordinal)
            && head.Contains("Via: 1.1 gateway\r\n", StringComparison.Ordinal) && head.Contains("Content-Length: 1832\r\n", StringComparison.Ordinal)
            && head.EndsWith("\r\n\r\n", StringComparison.Ordinal), head);
        Require(_output.Captured(Upstream200WithKeepAliveFields) == head, _output.Captured(Upstream200WithKeepAliveFields));
        var problem = _output.Captured(Problem404);
        Require(problem.StartsWith("HTTP/1.1 404 Not Found\r\n", StringComparison.Ordinal) && problem.Contains("application/problem+json", StringComparison.Ordinal)
            && problem.EndsWith("\"status\":404,\"detail\":\"No route matches the request.\"}", StringComparison.Ordinal), problem);
    }

    /// <summary>Parse and write: status line, 5 end-to-end fields, Via and Content-Length of an upstream 200, keep-alive HTTP/1.1 client.</summary>
    [Benchmark(Baseline = true)]
    public long Upstream200() => Relay(Typical);

    /// <summary>The same, from an upstream that also sends <c>Connection: keep-alive</c> and <c>Keep-Alive: timeout=5</c>.</summary>
    [Benchmark]
    public long Upstream200WithKeepAliveFields() => Relay(TypicalKeepAlive);

    /// <summary>The gateway's own 404: status line, Date, problem+json fields and the RFC 9457 body.</summary>
    [Benchmark]
    public long Problem404()
    {
        _responses.Begin();
        var answered = _responses.AnswerProblemAsync(404, "No route matches the request.");
        return answered.IsCompletedSuccessfully ? _output.Written : throw new InvalidOperationException("A flush to the discarding writer completes at once.");
    }

    /// <summary>Returns the parsed head's buffer.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _response.Dispose();
        _head.Dispose();
        GC.SuppressFinalize(this);
    }

    private static readonly FieldEdits NoEdits = new();

    private long Relay(in ReadOnlySequence<byte> upstream)
    {
        _response.TryParse(upstream);
        return ResponseHeadWriter.Write(_output, _response, ResponseFraming.ContentLength, close: false, http10Client: false, RequestId, NoEdits);
    }

    private static void Require(bool condition, string output)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Unexpected output:\n" + output);
        }
    }
}
