using System.Net;
using System.Net.Sockets;
using Gateway.Core.Sockets;

namespace Gateway.Core.Tests.Sockets;

/// <summary>A readiness socket connected over loopback to a plain socket, its peer; disposing closes both and the listener.</summary>
internal sealed class LoopbackPair(Socket listener, ReadinessSocket socket, Socket peer) : IDisposable
{
    /// <summary>How long any single step may take before a test fails instead of hanging.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public ReadinessSocket Socket { get; } = socket;

    public Socket Peer { get; } = peer;

    /// <summary>A pair whose readiness end connected (<see cref="ReadinessSocket.ConnectAsync"/>) to a listener; the peer is the accepted end.</summary>
    public static async Task<LoopbackPair> ConnectedAsync()
    {
        var listener = Listen();
        try
        {
            var accepting = listener.AcceptAsync();
            var socket = await ReadinessSocket.ConnectAsync(listener.LocalEndPoint!, CancellationToken.None).AsTask().WaitAsync(Bound);
            try
            {
                return new LoopbackPair(listener, socket, await accepting.WaitAsync(Bound));
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>A pair whose readiness end was accepted (<see cref="ReadinessSocket.Accepted"/>) from a listener the peer connected to.</summary>
    public static async Task<LoopbackPair> AcceptedAsync()
    {
        var listener = Listen();
        var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            var accepting = listener.AcceptAsync();
            await peer.ConnectAsync(listener.LocalEndPoint!).WaitAsync(Bound);
            return new LoopbackPair(listener, ReadinessSocket.Accepted(await accepting.WaitAsync(Bound)), peer);
        }
        catch
        {
            peer.Dispose();
            listener.Dispose();
            throw;
        }
    }

    /// <summary>A plain socket listening on 127.0.0.1 on a free port.</summary>
    public static Socket Listen(int backlog = 16)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(backlog);
        return listener;
    }

    public void Dispose()
    {
        Socket.Dispose();
        Peer.Dispose();
        listener.Dispose();
    }
}
