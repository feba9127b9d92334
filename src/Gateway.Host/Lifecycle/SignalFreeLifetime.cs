using Microsoft.Extensions.Hosting;

namespace Gateway.Host.Lifecycle;

/// <summary>
/// The generic host's lifetime without its console part: the host neither handles SIGTERM and Ctrl-C (the gateway does, see
/// <see cref="ShutdownSignals"/>: the host's own handling would stop Kestrel before the drain delay) nor prints start messages.
/// </summary>
internal sealed class SignalFreeLifetime : IHostLifetime
{
    /// <inheritdoc/>
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
