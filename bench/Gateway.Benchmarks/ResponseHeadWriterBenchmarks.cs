using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Core.Http;
using Gateway.Core.Proxy;

namespace Gateway.Benchmarks;

/// <summary>
/// Writing response heads into a <see cref="System.IO.Pipelines.PipeWriter"/> (a discarding sink over one reused buffer):
/// <see cref="ResponseHeadWriter.Write"/> for a typical upstream 200 (5 fields plus Content-Length), as the forwarder
/// relays it; the same response as a Node.js-style upstream sends it, with <c>Connection: keep-alive</c> and
/// <c>Keep-Alive: timeout=5</c> (hop-by-hop, dropped); and <see cref="ProblemResponse.Write"/> for the gateway's own 404
/// (head and JSON body).
/// </summary>
public class ResponseHeadWriterBenchmarks : IDisposable
{
    private static ReadOnlySpan<byte> RequestId => "0af7651916cd43dd8448eb211c80319c"u8;

    private const long BodyLength = 1832;

    private readonly DiscardPipeWriter _output = new();
    private HttpResponseMessage _response = null!;
    private HttpResponseMessage _keepAliveResponse = null!;

    /// <summary>Builds the upstream responses and checks the outputs once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _response = TypicalResponse();
        _keepAliveResponse = TypicalResponse();
        _keepAliveResponse.Headers.TryAddWithoutValidation("Connection", "keep-alive");
        _keepAliveResponse.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");

        var head = Captured(Upstream200);
        Require(head.StartsWith("HTTP/1.1 200 OK\r\n", StringComparison.Ordinal) && head.Contains("ETag: \"a3f9c2e1b7\"\r\n", StringComparison.Ordinal)
            && head.Contains("Via: 1.1 gateway\r\n", StringComparison.Ordinal) && head.EndsWith("Content-Length: 1832\r\n\r\n", StringComparison.Ordinal), head);
        Require(Captured(Upstream200WithKeepAliveFields) == head, Captured(Upstream200WithKeepAliveFields));
        var problem = Captured(Problem404);
        Require(problem.StartsWith("HTTP/1.1 404 Not Found\r\n", StringComparison.Ordinal) && problem.Contains("application/problem+json", StringComparison.Ordinal)
            && problem.EndsWith("\"status\":404,\"detail\":\"No route matches the request.\"}", StringComparison.Ordinal), problem);
    }

    /// <summary>Status line, 5 end-to-end fields, Via and Content-Length of an upstream 200, keep-alive HTTP/1.1 client.</summary>
    [Benchmark(Baseline = true)]
    public long Upstream200()
    {
        ResponseHeadWriter.Write(_output, _response, ResponseFraming.ContentLength, BodyLength, close: false, http10Client: false, RequestId, extraFields: default);
        return _output.Written;
    }

    /// <summary>The same, from an upstream that also sends <c>Connection: keep-alive</c> and <c>Keep-Alive: timeout=5</c>.</summary>
    [Benchmark]
    public long Upstream200WithKeepAliveFields()
    {
        ResponseHeadWriter.Write(_output, _keepAliveResponse, ResponseFraming.ContentLength, BodyLength, close: false, http10Client: false, RequestId, extraFields: default);
        return _output.Written;
    }

    /// <summary>The gateway's own 404: status line, Date, problem+json fields and the RFC 9457 body.</summary>
    [Benchmark]
    public long Problem404()
    {
        ProblemResponse.Write(_output, 404, "No route matches the request.", close: false);
        return _output.Written;
    }

    /// <summary>Releases the response.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _response?.Dispose();
        _keepAliveResponse?.Dispose();
        GC.SuppressFinalize(this);
    }

    // Raw, unvalidated values, the way SocketsHttpHandler stores what it read from the wire.
    private static HttpResponseMessage TypicalResponse()
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Version = System.Net.HttpVersion.Version11, Content = new ByteArrayContent([]) };
        response.Headers.TryAddWithoutValidation("Date", "Tue, 18 Nov 2025 10:15:42 GMT");
        response.Headers.TryAddWithoutValidation("Server", "Kestrel");
        response.Headers.TryAddWithoutValidation("Cache-Control", "private, max-age=60");
        response.Headers.TryAddWithoutValidation("ETag", "\"a3f9c2e1b7\"");
        response.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
        response.Content.Headers.TryAddWithoutValidation("Content-Length", "1832");
        return response;
    }

    private string Captured(Func<long> write)
    {
        using var capture = new MemoryStream();
        _output.Capture = capture;
        write();
        _output.Capture = null;
        return Encoding.Latin1.GetString(capture.ToArray());
    }

    private static void Require(bool condition, string output)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Unexpected output:\n" + output);
        }
    }
}
