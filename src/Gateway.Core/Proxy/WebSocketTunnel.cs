using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Gateway.Core.Http;
using Gateway.Core.Observability;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Proxy;

/// <summary>
/// A client connection and an upstream connection after the upstream switched them to the WebSocket protocol (101): bytes
/// copied both ways as they come, each copy waiting on its writer's flush (the pipes' flow control is the only buffering).
/// When one side ends its input, the other side's output is ended (half-close); the tunnel is over when both copies are,
/// and the upstream connection is closed, never pooled again. No byte either way for the idle timeout, a failed side, or a
/// cut client connection (the drain deadline) cuts both.
/// </summary>
internal sealed class WebSocketTunnel(
    PipeReader clientInput, PipeWriter clientOutput, UpstreamConnection upstream, UpstreamConnectionPool pool, TimeSpan idleTimeout,
    MillisecondClock clock, GatewayMetrics? metrics)
{
    private readonly long _idleMilliseconds = (long)idleTimeout.TotalMilliseconds;
    private long _lastActivity = clock.Now;
    private long _bytesIn;
    private long _bytesOut;
    private volatile bool _cut;
    private volatile bool _over;

    /// <summary>Relays until both sides ended (true) or the tunnel was cut (false: the client connection should be aborted).</summary>
    public async Task<bool> RunAsync()
    {
        metrics?.WebSocketTunnelsOpened.Inc();
        metrics?.WebSocketTunnels.Inc();
        try
        {
            await Task.WhenAll(CopyToUpstreamAsync(), CopyToClientAsync()).ConfigureAwait(false);
            return !_cut;
        }
        finally
        {
            _over = true;
            pool.Close(upstream);
            metrics?.WebSocketTunnels.Dec();
            metrics?.BytesReceived.Inc(_bytesIn);
            metrics?.BytesSent.Inc(_bytesOut);
        }
    }

    /// <summary>Called once a second by the connection's heartbeat: cuts the tunnel once no byte went either way for the idle timeout.</summary>
    public void OnHeartbeat(long now)
    {
        if (!_over && now - Volatile.Read(ref _lastActivity) > _idleMilliseconds)
        {
            Cut();
        }
    }

    private async Task CopyToUpstreamAsync()
    {
        if (await CopyAsync(clientInput, upstream.Output, toUpstream: true).ConfigureAwait(false))
        {
            await upstream.ShutdownOutputAsync().ConfigureAwait(false);
        }
    }

    private async Task CopyToClientAsync()
    {
        if (await CopyAsync(upstream.Input, clientOutput, toUpstream: false).ConfigureAwait(false))
        {
            // Kestrel closes the whole client socket once its output ends, which also ends the client's input.
            await clientOutput.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Copies until <paramref name="from"/> ends (true), or until the tunnel is cut or a side fails (false).</summary>
    private async Task<bool> CopyAsync(PipeReader from, PipeWriter to, bool toUpstream)
    {
        try
        {
            while (true)
            {
                var read = await from.ReadAsync().ConfigureAwait(false);
                var buffer = read.Buffer;
                if (read.IsCanceled)
                {
                    from.AdvanceTo(buffer.Start);
                    return false;
                }

                if (!buffer.IsEmpty)
                {
                    Volatile.Write(ref _lastActivity, clock.Now);
                    foreach (var segment in buffer)
                    {
                        to.Write(segment.Span);
                    }

                    if (toUpstream)
                    {
                        _bytesIn += buffer.Length;
                    }
                    else
                    {
                        _bytesOut += buffer.Length;
                    }
                }

                from.AdvanceTo(buffer.End);
                if (!buffer.IsEmpty && await to.FlushAsync().ConfigureAwait(false) is { IsCompleted: true } or { IsCanceled: true })
                {
                    // Cut, or the other side stopped reading: nothing more can reach it.
                    Cut();
                    return false;
                }

                if (read.IsCompleted)
                {
                    return true;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            Cut();
            return false;
        }
    }

    /// <summary>Ends both copies at once: the upstream connection is cut (failing its read or flush), and the pending client read or flush is cancelled.</summary>
    private void Cut()
    {
        _cut = true;
        upstream.Abort();
        clientInput.CancelPendingRead();
        clientOutput.CancelPendingFlush();
    }
}
