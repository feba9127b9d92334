using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gateway.Core.Observability;

namespace Gateway.Benchmarks;

/// <summary>
/// Formatting one access log line for a typical proxied request, as the access log does on the request's connection:
/// the JSON object (the default format) into the batch buffer through a reused <see cref="Utf8JsonWriter"/> and written
/// by hand, and the common log format. The buffer is emptied per operation, so each operation measures one line.
/// </summary>
public class AccessLogBenchmarks : IDisposable
{
    private static readonly DateTimeOffset Timestamp = new(2026, 11, 28, 6, 15, 42, 123, 456, TimeSpan.Zero);
    private static readonly byte[] RequestId = "0af7651916cd43dd8448eb211c80319c"u8.ToArray();
    private static readonly byte[] Path = "/api/orders/84213/items"u8.ToArray();
    private static readonly byte[] Query = "?page=2&sort=desc"u8.ToArray();

    private readonly ArrayBufferWriter<byte> _batch = new(4096);
    private readonly Utf8JsonWriter _json;

    /// <summary>Creates the writer over the batch buffer.</summary>
    public AccessLogBenchmarks() => _json = new Utf8JsonWriter(_batch, AccessLog.JsonOptions);

    /// <summary>Checks both lines once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Json();
        var json = Encoding.UTF8.GetString(_batch.WrittenSpan);
        using var parsed = JsonDocument.Parse(json);
        Require(parsed.RootElement.GetProperty("path").GetString() == "/api/orders/84213/items?page=2&sort=desc"
            && parsed.RootElement.GetProperty("duration_ms").GetDouble() == 1.235
            && parsed.RootElement.GetProperty("time").GetDateTimeOffset() == Timestamp, json);
        PlainJson();
        Require(Encoding.UTF8.GetString(_batch.WrittenSpan) == json, Encoding.UTF8.GetString(_batch.WrittenSpan));
        Common();
        var common = Encoding.UTF8.GetString(_batch.WrittenSpan);
        Require(common == "10.1.2.3 - - [28/Nov/2026:06:15:42 +0000] \"GET /api/orders/84213/items?page=2&sort=desc HTTP/1.1\" 200 1879", common);
    }

    /// <summary>The JSON line of a proxied GET answered 200.</summary>
    [Benchmark(Baseline = true)]
    public int Json()
    {
        _batch.ResetWrittenCount();
        _json.Reset(_batch);
        AccessLogFormatter.WriteJson(_json, Typical());
        _json.Flush();
        return _batch.WrittenCount;
    }

    /// <summary>The same JSON line written by hand (<see cref="PlainJsonLine"/>), as the access log writes a line with nothing to escape.</summary>
    [Benchmark]
    public int PlainJson()
    {
        _batch.ResetWrittenCount();
        PlainJsonLine.TryWrite(_batch, Typical());
        return _batch.WrittenCount;
    }

    /// <summary>The same request in the common log format.</summary>
    [Benchmark]
    public int Common()
    {
        _batch.ResetWrittenCount();
        AccessLogFormatter.WriteCommon(_batch, Typical());
        return _batch.WrittenCount;
    }

    private static AccessLogRecord Typical() => new()
    {
        Timestamp = Timestamp,
        RequestId = RequestId,
        TraceId = RequestId,
        ClientAddress = "10.1.2.3",
        Method = "GET"u8,
        Path = Path,
        Query = Query,
        Protocol = "HTTP/1.1"u8,
        Route = "orders",
        Status = 200,
        Upstream = "http://10.0.0.7:8080",
        DurationMilliseconds = 1.23456,
        UpstreamMilliseconds = 0.98765,
        BytesIn = 699,
        BytesOut = 1879,
    };

    /// <inheritdoc/>
    public void Dispose()
    {
        _json.Dispose();
        GC.SuppressFinalize(this);
    }

    private static void Require(bool condition, string actual)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Unexpected access log line: {actual}");
        }
    }
}
