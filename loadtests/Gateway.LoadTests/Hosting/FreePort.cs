using System.Net;
using System.Net.Sockets;

namespace Gateway.LoadTests.Hosting;

/// <summary>Picks a loopback TCP port that is free right now.</summary>
internal static class FreePort
{
    /// <summary>A port nothing listens on at the moment of the call.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
