using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Gateway.Core.Configuration;
using Gateway.Core.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Gateway.Host.Transport;

/// <summary>One bound listening socket of the readiness transport; accepts with .NET's sockets, then hands each connection to the epoll loop.</summary>
internal sealed class ReadinessListener(Socket socket, MemoryPool<byte> pool, TransportSettings settings) : IConnectionListener
{
    /// <inheritdoc/>
    public EndPoint EndPoint { get; } = socket.LocalEndPoint!;

    /// <inheritdoc/>
    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = await socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectDisposedException || ex is SocketException { SocketErrorCode: SocketError.OperationAborted })
            {
                // Unbound.
                return null;
            }
            catch (SocketException)
            {
                // The client left before it was accepted (a reset in the queue): take the next one.
                continue;
            }

            ReadinessSocket watched;
            try
            {
                accepted.NoDelay = true;
                watched = ReadinessSocket.Accepted(accepted);
            }
            catch (SocketException)
            {
                // Reset already, or the loop could not watch it (out of memory for epoll): this client is dropped, not the listener.
                accepted.Dispose();
                continue;
            }

            var connection = new ReadinessConnection(watched, pool, settings);
            connection.Start();
            return connection;
        }
    }

    /// <inheritdoc/>
    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        socket.Dispose();
        return default;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        pool.Dispose();
        return default;
    }
}
