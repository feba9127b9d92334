using System.Net;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>
/// A real upstream process to kill and bring back: the gateway binary answering every request itself (a <c>respond</c>
/// route: 200, its name as the body and in <c>X-Upstream</c>) on a port that stays the same across restarts.
/// </summary>
internal sealed class UpstreamProcess : IDisposable
{
    private readonly ConfigFile _file;
    private readonly int _port = Ports.Free();
    private readonly int _adminPort = Ports.Free();
    private GatewayProcess? _process;

    private UpstreamProcess(string name)
    {
        Name = name;
        _file = new ConfigFile($$"""
            { "routes": [ { "id": "all", "match": { "path": "/{*path}" }, "respond": { "status": 200, "body": "{{name}}", "headers": { "X-Upstream": "{{name}}" } } } ] }
            """);
    }

    /// <summary>The name it answers with.</summary>
    public string Name { get; }

    /// <summary>Its base URL.</summary>
    public string Url => $"http://127.0.0.1:{_port}";

    private IPEndPoint EndPoint => new(IPAddress.Loopback, _port);

    /// <summary>Starts an upstream process named <paramref name="name"/> and waits until it accepts connections.</summary>
    public static async Task<UpstreamProcess> StartAsync(string name)
    {
        var upstream = new UpstreamProcess(name);
        await upstream.StartAgainAsync();
        return upstream;
    }

    /// <summary>Starts the process (again) on the same port and waits until it accepts connections.</summary>
    public async Task StartAgainAsync()
    {
        _process?.Dispose();
        _process = GatewayProcess.Start(
            new Dictionary<string, string>
            {
                ["GATEWAY_LISTEN"] = Url,
                ["GATEWAY_ADMIN_LISTEN"] = $"http://127.0.0.1:{_adminPort}",
                ["GATEWAY_ACCESS_LOG"] = "off",
            },
            "--config",
            _file.Path);
        await Wait.UntilAsync(() => _process.HasExited || !Ports.Refuses(EndPoint), $"upstream process {Name} to listen");
        Assert.False(_process.HasExited, $"upstream process {Name} exited: {_process.StandardError}");
    }

    /// <summary>Kills the process at once (SIGKILL: its connections are reset, nothing is drained) and waits until its port refuses connections.</summary>
    public async Task KillAsync()
    {
        _process?.Dispose();
        _process = null;
        await Wait.UntilAsync(() => Ports.Refuses(EndPoint), $"killed upstream {Name} to refuse connections");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _process?.Dispose();
        _file.Dispose();
    }
}
