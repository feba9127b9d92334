using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Gateway.Core.Http;
using Gateway.Core.Observability;
using Gateway.Core.Proxy;

namespace Gateway.Benchmarks;

/// <summary>
/// The request header rules, in two groups (categories), each with its own baseline:
/// <list type="bullet">
/// <item><c>Apply</c>: <see cref="RequestHeaderRules.Apply"/> copying a parsed 12-field GET (with
/// <c>Connection: keep-alive, X-Secret</c> and an X-Secret field) onto an <see cref="HttpRequestMessage"/>, as the
/// forwarder does for every request. This allocates by nature: <see cref="HttpRequestMessage"/> header values are
/// strings, so every forwarded value (and X-Forwarded-Host) becomes a new string; names are shared instances and Via
/// is a constant. <c>ApplyOnReusedMessage</c> clears and refills one message, so it shows Apply's own allocation
/// (the value strings; the cleared header store is kept). <c>NewMessageAndApply</c> is what the forwarder pays per
/// request (a new message, its header collection and store, and Apply), against the baseline <c>NewMessage</c>
/// (the message alone, which the forwarder needs whatever the rules do).</item>
/// <item><c>Classify</c>: the hop-by-hop classification, which the parser does while parsing (known-field ids,
/// hop-by-hop flags, and the fields named in Connection marked by name), so that Apply only tests a flag. It cannot
/// run apart from parsing, so it is shown as the parse of the 12-field GET with plain <c>Connection: keep-alive</c>
/// (baseline) against the same head with <c>Connection: keep-alive, X-Secret</c> and an X-Secret field instead of
/// Origin: the difference is the cost of one Connection-named field.</item>
/// </list>
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RequestHeaderRulesBenchmarks : IDisposable
{
    private static readonly ClientInfo Client = new("203.0.113.7", "http");

    // Never contacted: the message only carries it, as the forwarder's does.
    private readonly Uri _upstreamUri = new("http://127.0.0.1:5001/api/v1/orders/84213?include=items&limit=20");
    private readonly RequestHead _parsed = new();
    private readonly RequestRecord _record = new();
    private readonly RequestHead _scratch = new();
    private readonly HttpRequestParser _parser = new(SampleRequests.Limits);
    private HttpRequestMessage _request = null!;
    private ReadOnlySequence<byte> _plainGet;
    private ReadOnlySequence<byte> _connectionNamedGet;

    /// <summary>Parses the sample head once for Apply, and checks that X-Secret is dropped and the gateway's fields added.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _request = new HttpRequestMessage(HttpMethod.Get, _upstreamUri);
        SampleRequests.ParseOrThrow(SampleRequests.ConnectionNamedGet, _parsed);
        _record.Start(_parsed, headLength: 0);
        _plainGet = new ReadOnlySequence<byte>(SampleRequests.BrowserGet);
        _connectionNamedGet = new ReadOnlySequence<byte>(SampleRequests.ConnectionNamedGet);
        ApplyOnReusedMessage();
        var headers = _request.Headers;
        if (headers.Contains("X-Secret") || headers.Contains("Connection") || headers.Contains("Host")
            || !headers.Contains("Via") || !headers.Contains("X-Forwarded-For") || !headers.Contains("Authorization"))
        {
            throw new InvalidOperationException("RequestHeaderRules.Apply did not forward the sample as expected: " + headers);
        }

        if (ParsePlain() <= 0 || ParseConnectionNamed() <= 0)
        {
            throw new InvalidOperationException("A sample head did not parse.");
        }
    }

    /// <summary>A new upstream request message, no headers: what the forwarder allocates before the rules run.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Apply")]
    public HttpRequestMessage NewMessage()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, _upstreamUri);
        request.Dispose();
        return request;
    }

    /// <summary>A new message and Apply onto it: the per-request cost as the forwarder pays it.</summary>
    [Benchmark]
    [BenchmarkCategory("Apply")]
    public HttpRequestMessage NewMessageAndApply()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, _upstreamUri);
        RequestHeaderRules.Apply(_parsed, request, Client, _record);
        request.Dispose();
        return request;
    }

    /// <summary>Apply onto one reused message whose headers are cleared first: Apply's own work and allocation.</summary>
    [Benchmark]
    [BenchmarkCategory("Apply")]
    public void ApplyOnReusedMessage()
    {
        _request.Headers.Clear();
        RequestHeaderRules.Apply(_parsed, _request, Client, _record);
    }

    /// <summary>Parse of the 12-field GET with <c>Connection: keep-alive</c> only.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Classify")]
    public int ParsePlain() => Parse(_plainGet);

    /// <summary>Parse of the 12-field GET with <c>Connection: keep-alive, X-Secret</c> and an X-Secret field.</summary>
    [Benchmark]
    [BenchmarkCategory("Classify")]
    public int ParseConnectionNamed() => Parse(_connectionNamedGet);

    /// <summary>Releases the message and the heads' pooled buffers.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _request?.Dispose();
        _parsed.Dispose();
        _scratch.Dispose();
        GC.SuppressFinalize(this);
    }

    private int Parse(in ReadOnlySequence<byte> buffer)
    {
        _parser.Reset();
        return _parser.TryReadHead(buffer, _scratch, out var length, out _) == HeadStatus.Complete ? length : -1;
    }
}
