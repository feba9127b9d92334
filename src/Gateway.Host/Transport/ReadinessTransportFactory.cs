using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Gateway.Core.Configuration;
using Microsoft.AspNetCore.Connections;

namespace Gateway.Host.Transport;

/// <summary>Kestrel's transport when <c>GATEWAY_TRANSPORT=epoll</c>: listeners whose connections are read and written on readiness alone (<see cref="Core.Sockets.ReadinessSocket"/>).</summary>
internal sealed class ReadinessTransportFactory(TransportSettings settings, IMemoryPoolFactory<byte> pools) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    /// <inheritdoc/>
    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint;

    /// <inheritdoc/>
    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var address = (IPEndPoint)endpoint;
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(address);
            socket.Listen(512);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new AddressInUseException(ex.Message, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return ValueTask.FromResult<IConnectionListener>(new ReadinessListener(socket, pools.Create(), settings));
    }
}
