using System.Buffers;
using BenchmarkDotNet.Attributes;
using Gateway.Core.Http;

namespace Gateway.Benchmarks;

/// <summary>
/// The request head parser (<see cref="HttpRequestParser.TryReadHead"/>) on a per-connection parser and
/// <see cref="RequestHead"/>, reset per operation as the connection loop does, and the chunked body decoder.
/// Every benchmark here must allocate 0 B per operation.
/// </summary>
public class HttpRequestParserBenchmarks : IDisposable
{
    private readonly HttpRequestParser _parser = new(SampleRequests.Limits);
    private readonly RequestHead _head = new();
    private readonly ChunkedDecoder _decoder = new();
    private ReadOnlySequence<byte> _get;
    private ReadOnlySequence<byte> _getThreeSegments;
    private ReadOnlySequence<byte> _chunkedPost;
    private ReadOnlySequence<byte> _chunkedBody;

    /// <summary>Builds the input sequences and checks that each one parses.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var get = SampleRequests.BrowserGet;
        _get = new ReadOnlySequence<byte>(get);

        // Cut inside the User-Agent value and inside the Cookie field: neither cut is on a line boundary.
        _getThreeSegments = BufferSegment.Split(get, get.Length / 3, get.Length * 2 / 3);
        _chunkedPost = new ReadOnlySequence<byte>(SampleRequests.ChunkedPost);
        _chunkedBody = new ReadOnlySequence<byte>(SampleRequests.ChunkedBody);
        Check(GetSingleSegment() == get.Length, "single-segment GET");
        Check(GetThreeSegments() == get.Length, "three-segment GET");
        Check(ChunkedDecodeOnly() == SampleRequests.ChunkSizes.Sum(), "chunked body");
        Check(PostChunkedHeadAndBody() == SampleRequests.ChunkedPostHead.Length + SampleRequests.ChunkSizes.Sum(), "chunked POST");
    }

    /// <summary>A 12-field GET head arriving in one buffer.</summary>
    [Benchmark(Baseline = true)]
    public int GetSingleSegment() => ParseHead(_get);

    /// <summary>The same head spread over three buffers, cut mid-line.</summary>
    [Benchmark]
    public int GetThreeSegments() => ParseHead(_getThreeSegments);

    /// <summary>A chunked POST head and its 4-chunk body (1,339 data bytes) in one buffer: parse, then decode to the end.</summary>
    [Benchmark]
    public long PostChunkedHeadAndBody()
    {
        var headLength = ParseHead(_chunkedPost);
        if (!_head.Chunked)
        {
            throw new InvalidOperationException("The POST head was not recognized as chunked.");
        }

        return headLength + Decode(_chunkedPost.Slice(headLength));
    }

    /// <summary>The decoder alone over the same chunked body: the body's share of <see cref="PostChunkedHeadAndBody"/>.</summary>
    [Benchmark]
    public long ChunkedDecodeOnly() => Decode(_chunkedBody);

    /// <summary>Disposes the head's pooled buffer.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _head.Dispose();
        GC.SuppressFinalize(this);
    }

    private int ParseHead(in ReadOnlySequence<byte> buffer)
    {
        _parser.Reset();
        var status = _parser.TryReadHead(buffer, _head, out var headLength, out _);
        return status == HeadStatus.Complete ? headLength : -1;
    }

    private long Decode(ReadOnlySequence<byte> buffer)
    {
        _decoder.Reset();
        long total = 0;
        while (true)
        {
            switch (_decoder.Next(ref buffer, out var data))
            {
                case ChunkStatus.Data:
                    total += data.Length;
                    break;
                case ChunkStatus.Done:
                    return total;
                default:
                    return -1;
            }
        }
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Benchmark input is wrong: {what}.");
        }
    }
}
