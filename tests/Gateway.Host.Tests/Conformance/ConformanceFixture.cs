using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Conformance;

/// <summary>One gateway with a catch-all route to one <see cref="WireUpstream"/>, shared by every case of a test class.</summary>
public sealed class ConformanceFixture : IAsyncLifetime
{
    /// <summary>What the upstream answers to every request: an empty 200 (also right for HEAD).</summary>
    public const string UpstreamResponse = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

    internal WireUpstream Upstream { get; private set; } = null!;

    internal TestGateway Gateway { get; private set; } = null!;

    internal ConformanceRunner Runner { get; private set; } = null!;

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        Upstream = WireUpstream.Start(UpstreamResponse);
        Gateway = await TestGateway.StartAsync(Configs.CatchAll(Upstream.Url));
        Runner = new ConformanceRunner(Gateway, Upstream);
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
