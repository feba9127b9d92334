using System.Net;
using System.Net.Sockets;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>Loopback port helpers: free ports for a process to bind, ports with nothing listening, and whether a listener refuses connections.</summary>
internal static class Ports
{
    /// <summary>A loopback port that was free a moment ago (bound to find it, then released).</summary>
    public static int Free()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>True when a TCP connect to <paramref name="endPoint"/> is refused (nothing listens there any more).</summary>
    public static bool Refuses(IPEndPoint endPoint)
    {
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(endPoint);
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
    }
}
