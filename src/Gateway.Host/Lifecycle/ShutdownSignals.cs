using System.Runtime.InteropServices;

namespace Gateway.Host.Lifecycle;

/// <summary>
/// SIGTERM and Ctrl-C (SIGINT), handled by the gateway itself instead of the generic host, which would ask Kestrel to stop at
/// once: the first signal starts the graceful stop, a second one cuts its drain delay short, and any later one is ignored
/// (the drain has its own deadline). Nothing runs on the signal thread but the bookkeeping.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _second = new();
    private readonly PosixSignalRegistration _terminate;
    private readonly PosixSignalRegistration _interrupt;
    private int _count;

    /// <summary>Takes over SIGTERM and SIGINT from now on.</summary>
    public ShutdownSignals()
    {
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    }

    /// <summary>Completes when the first signal comes.</summary>
    public Task Requested => _first.Task;

    /// <summary>Cancelled when a second signal comes.</summary>
    public CancellationToken Hurried => _second.Token;

    /// <inheritdoc/>
    public void Dispose()
    {
        _terminate.Dispose();
        _interrupt.Dispose();
        _second.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        switch (Interlocked.Increment(ref _count))
        {
            case 1:
                _first.TrySetResult();
                break;
            case 2:
                _ = _second.CancelAsync();
                break;
        }
    }
}
