namespace Gateway.Core.Tests.RateLimiting;

/// <summary>The Redis that the tests of the "Redis" collection share: started here, given by host:port, or none.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;

    /// <summary>The server's configuration string; null when the Redis tests do not run.</summary>
    public string? Endpoint { get; private set; }

    public async Task InitializeAsync()
    {
        var setting = RedisEnvironment.Setting;
        if (setting == "start")
        {
            _server = await RedisServer.StartAsync();
            Endpoint = _server.Endpoint;
        }
        else
        {
            Endpoint = setting;
        }
    }

    public Task DisposeAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }
}
