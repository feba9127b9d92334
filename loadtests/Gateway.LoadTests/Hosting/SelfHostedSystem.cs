using Gateway.LoadTests.Scenarios;

namespace Gateway.LoadTests.Hosting;

/// <summary>The system under test when no <c>--target</c> is given: the upstream in this process and the gateway as a child process, both on free loopback ports, configured for one scenario.</summary>
internal sealed class SelfHostedSystem : IAsyncDisposable
{
    private readonly string _workDirectory;
    private readonly UpstreamServer _upstream;

    private SelfHostedSystem(string workDirectory, UpstreamServer upstream, GatewayProcess gateway)
    {
        _workDirectory = workDirectory;
        _upstream = upstream;
        Gateway = gateway;
    }

    /// <summary>The gateway process.</summary>
    public GatewayProcess Gateway { get; }

    /// <summary>Starts the upstream, writes the scenario's configuration to a temporary folder and starts the gateway on it.</summary>
    public static async Task<SelfHostedSystem> StartAsync(Scenario scenario, CancellationToken cancellationToken)
    {
        var workDirectory = Directory.CreateTempSubdirectory("gateway-loadtest-").FullName;
        UpstreamServer? upstream = null;
        try
        {
            upstream = await UpstreamServer.StartAsync(cancellationToken).ConfigureAwait(false);
            var configPath = Path.Combine(workDirectory, "gateway.json");
            await File.WriteAllTextAsync(configPath, GatewayConfigFile.Build(scenario.Gateway, upstream.Address), cancellationToken).ConfigureAwait(false);
            var gateway = await GatewayProcess.StartAsync(configPath, Path.Combine(workDirectory, "access.log"), cancellationToken).ConfigureAwait(false);
            return new SelfHostedSystem(workDirectory, upstream, gateway);
        }
        catch
        {
            if (upstream is not null)
            {
                await upstream.DisposeAsync().ConfigureAwait(false);
            }

            Directory.Delete(workDirectory, recursive: true);
            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Gateway.Dispose();
        await _upstream.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(_workDirectory, recursive: true);
    }
}
