using Prometheus;

namespace Gateway.Core.Observability;

/// <summary>
/// The process's own metrics, read at each scrape (nothing on the request path): prometheus-net's standard <c>process_*</c>
/// and <c>dotnet_*</c> set (CPU, resident and virtual memory, threads, handles, collections) and the GC heap after the last
/// collection beside the memory the GC has committed, which together tell managed growth from native growth.
/// </summary>
internal static class ProcessMetrics
{
    /// <summary>Adds them to <paramref name="registry"/>.</summary>
    public static void Register(CollectorRegistry registry)
    {
        DotNetStats.Register(registry);
        var factory = Metrics.WithCustomRegistry(registry);
        var heap = factory.CreateGauge("dotnet_gc_heap_size_bytes", "Bytes of the managed heap after the last garbage collection, fragmentation included.");
        var committed = factory.CreateGauge("dotnet_gc_committed_bytes", "Bytes the garbage collector has committed from the operating system.");
        registry.AddBeforeCollectCallback(() =>
        {
            var info = GC.GetGCMemoryInfo();
            heap.Set(info.HeapSizeBytes);
            committed.Set(info.TotalCommittedBytes);
        });
    }
}
