namespace Gateway.Host;

/// <summary>
/// The SIGHUP reloads: each signal reloads the configuration on the thread pool (never on the signal thread, which must
/// stay free for SIGTERM); signals that come before the server has started are remembered and served once it has.
/// </summary>
internal sealed class SignalReloads : IDisposable
{
    private readonly Lock _gate = new();
    private GatewayServer? _server;
    private bool _pending;
    private bool _disposed;

    /// <summary>A SIGHUP arrived.</summary>
    public void Request()
    {
        GatewayServer? server;
        lock (_gate)
        {
            server = _server;
            _pending = server is null;
        }

        if (server is not null)
        {
            Reload(server);
        }
    }

    /// <summary>The server has started: from now on each signal reloads it, and one that came before does so now.</summary>
    public void Serve(GatewayServer server)
    {
        bool pending;
        lock (_gate)
        {
            _server = server;
            pending = _pending;
        }

        if (pending)
        {
            Reload(server);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _server = null;
        }
    }

    private void Reload(GatewayServer server)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
        }

        _ = Task.Run(() => server.ReloadAsync("SIGHUP"));
    }
}
