namespace Gateway.LoadTests.Reports;

/// <summary>The gateway process's memory at one moment of the run.</summary>
/// <param name="Second">Seconds since the run started.</param>
/// <param name="RssMiB">Its resident memory.</param>
/// <param name="GcHeapMiB">The managed heap after the last collection (the gateway's <c>dotnet_gc_heap_size_bytes</c>), null when its metrics did not answer.</param>
/// <param name="GcCommittedMiB">The memory the garbage collector holds from the system (<c>dotnet_gc_committed_bytes</c>), null when its metrics did not answer.</param>
internal sealed record MemorySample(double Second, double RssMiB, double? GcHeapMiB, double? GcCommittedMiB);
