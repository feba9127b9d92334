using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Docs;

/// <summary>A gateway serving <see cref="DocsConfig"/> in front of a <see cref="StoreUpstream"/>, shared by the tests of one class.</summary>
public sealed class DocsGateway : IAsyncLifetime
{
    private StoreUpstream? _store;
    private TestGateway? _gateway;

    /// <summary>The upstream that publishes its own document.</summary>
    internal StoreUpstream Store => _store ?? throw new InvalidOperationException("not started");

    /// <summary>The gateway.</summary>
    internal TestGateway Gateway => _gateway ?? throw new InvalidOperationException("not started");

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        _store = await StoreUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(Configs.Parse(DocsConfig.Json(_store.Destination)));
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        await _gateway!.DisposeAsync();
        await _store!.DisposeAsync();
    }
}
