using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gateway.Core.Aggregation;
using Gateway.Core.Upstreams;
using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Benchmarks;

/// <summary>
/// Merging an aggregate's three ~10 KB JSON parts (<see cref="SampleJson"/>) with <see cref="AggregateWriter.Write"/>: each
/// part whole under its name, each under its name with a field allow-list, and every part's members at the top; beside the
/// least any merge does (the baseline: the three bodies copied into one new array) and the check each part's body gets
/// before it is merged (<see cref="AggregateWriter.IsValid"/>).
/// </summary>
[MemoryDiagnoser]
[WarmupCount(20)]
public class AggregateWriterBenchmarks : IDisposable
{
    private readonly PartAnswer[] _answers = [Answer(SampleJson.User), Answer(SampleJson.Orders), Answer(SampleJson.Shipment)];
    private Cluster _cluster = null!;
    private AggregatePart[] _whole = [];
    private AggregatePart[] _allowed = [];

    /// <summary>Builds the parts (the cluster is never called) and checks each merge gives the JSON it should.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _cluster = new Cluster(
            "bench", [new Destination("http://127.0.0.1:5001", PoolSettings.From(new UpstreamSettings()), UpstreamTls.Default)], [1], new RoundRobinPolicy(), new ClusterSettings());
        _whole = [Part("user", null), Part("orders", null), Part("latest", null)];
        _allowed = [Part("user", ["id", "name", "tier"]), Part("orders", ["total", "items"]), Part("latest", ["status", "eta"])];
        if (!Array.TrueForAll(_answers, answer => answer.Body.Length is >= 9_500 and <= 10_500 && AggregateWriter.IsValid(answer.Body.Span, mustBeObject: true)))
        {
            throw new InvalidOperationException($"the sample parts ({string.Join(", ", _answers.Select(answer => answer.Body.Length))} bytes) are not ~10 KB JSON objects");
        }

        using var byName = JsonDocument.Parse(ByName());
        using var allowed = JsonDocument.Parse(ByNameWithFields());
        using var top = JsonDocument.Parse(Top());
        if (byName.RootElement.GetProperty("orders").GetProperty("items")[0].GetProperty("id").GetString() != "o-7-1"
            || allowed.RootElement.GetProperty("latest").GetRawText() != """{"status":"shipped","eta":"2026-12-03"}"""
            || allowed.RootElement.GetProperty("user").EnumerateObject().Count() != 3
            || top.RootElement.GetProperty("id").GetString() != "7" || top.RootElement.GetProperty("events").GetArrayLength() != 64)
        {
            throw new InvalidOperationException("a merge is not as expected");
        }
    }

    /// <summary>The three bodies copied into one new array: the least any merge does.</summary>
    [Benchmark(Baseline = true)]
    public ReadOnlyMemory<byte> Concatenate()
    {
        var merged = new byte[_answers.Sum(answer => answer.Body.Length)];
        var at = 0;
        foreach (var answer in _answers)
        {
            answer.Body.Span.CopyTo(merged.AsSpan(at));
            at += answer.Body.Length;
        }

        return merged;
    }

    /// <summary>Each part whole under its name (<c>"merge": "byName"</c>, no <c>fields</c>).</summary>
    [Benchmark]
    public ReadOnlyMemory<byte> ByName() => AggregateWriter.Write(_whole, _answers, top: false);

    /// <summary>Each part under its name with a field allow-list (2-3 of its members kept).</summary>
    [Benchmark]
    public ReadOnlyMemory<byte> ByNameWithFields() => AggregateWriter.Write(_allowed, _answers, top: false);

    /// <summary>Every part's members in one object (<c>"merge": "top"</c>), the first part to name a member keeping it.</summary>
    [Benchmark]
    public ReadOnlyMemory<byte> Top() => AggregateWriter.Write(_whole, _answers, top: true);

    /// <summary>The check of each part's body before merging: one JSON object, read to its end.</summary>
    [Benchmark]
    public bool ValidateParts() => Array.TrueForAll(_answers, answer => AggregateWriter.IsValid(answer.Body.Span, mustBeObject: true));

    /// <summary>Closes the cluster's (unused) pool.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _cluster.Dispose();
        GC.SuppressFinalize(this);
    }

    private static PartAnswer Answer(byte[] body) => new(200, body, null);

    private AggregatePart Part(string name, string[]? fields) => new(
        name, _cluster, "GET"u8.ToArray(), PartTemplate.Parse("/", [], [], out _)!, false, TimeSpan.FromSeconds(5), fields?.ToHashSet(StringComparer.Ordinal), null, null, 1 << 20);
}
