using BenchmarkDotNet.Attributes;
using Gateway.Core.Proxy;

namespace Gateway.Benchmarks;

/// <summary>
/// The upstream deadline over one proxied exchange, as the forwarder drives it: started with the cluster's timeout,
/// extended when the response head and then the body arrive, stopped. One deadline serves exchange after
/// exchange, as a connection's does.
/// </summary>
[MemoryDiagnoser]
public class UpstreamDeadlineBenchmarks : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly UpstreamDeadline _deadline = new();

    /// <summary>One exchange's deadline: start, two extensions, stop.</summary>
    [Benchmark]
    public bool Exchange()
    {
        _deadline.Start(Timeout);
        _deadline.Extend();
        _deadline.Extend();
        _deadline.Stop();
        return _deadline.TimedOut;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _deadline.Dispose();
        GC.SuppressFinalize(this);
    }
}
