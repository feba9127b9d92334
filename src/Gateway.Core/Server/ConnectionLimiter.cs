using System.Collections.Concurrent;
using System.Net;
using Gateway.Core.Configuration;
using Gateway.Core.Http;

namespace Gateway.Core.Server;

/// <summary>Counts open client connections, in total and per client address, and refuses those over a cap; takes no lock.</summary>
/// <remarks>
/// Per-address counts live in a dictionary of plain integers changed by compare-and-swap; an address whose last
/// connection closes is removed (only if its count is still 1), so the dictionary holds only clients with open connections.
/// A cap of 0 is no cap, and then nothing is counted for it.
/// </remarks>
public sealed class ConnectionLimiter(TransportSettings settings)
{
    private readonly ConcurrentDictionary<IPAddress, int> _perClient = new();
    private long _total;

    /// <summary>
    /// Counts a new connection from <paramref name="client"/> (null when the peer has no IP address: only the total cap applies);
    /// returns why it is refused when a cap is already reached, and then counts nothing.
    /// </summary>
    public RequestError? TryAdmit(IPAddress? client)
    {
        if (settings.MaxConnections > 0 && Interlocked.Increment(ref _total) > settings.MaxConnections)
        {
            Interlocked.Decrement(ref _total);
            return RequestError.TooManyConnections;
        }

        if (client is not null && settings.MaxConnectionsPerClient > 0 && !TryAddClient(client))
        {
            ReleaseTotal();
            return RequestError.TooManyClientConnections;
        }

        return null;
    }

    /// <summary>Uncounts a connection that <see cref="TryAdmit"/> admitted.</summary>
    public void Release(IPAddress? client)
    {
        if (client is not null && settings.MaxConnectionsPerClient > 0)
        {
            RemoveClient(client);
        }

        ReleaseTotal();
    }

    private void ReleaseTotal()
    {
        if (settings.MaxConnections > 0)
        {
            Interlocked.Decrement(ref _total);
        }
    }

    private bool TryAddClient(IPAddress client)
    {
        while (true)
        {
            if (_perClient.TryGetValue(client, out var open))
            {
                if (open >= settings.MaxConnectionsPerClient)
                {
                    return false;
                }

                if (_perClient.TryUpdate(client, open + 1, open))
                {
                    return true;
                }
            }
            else if (_perClient.TryAdd(client, 1))
            {
                return true;
            }
        }
    }

    private void RemoveClient(IPAddress client)
    {
        while (_perClient.TryGetValue(client, out var open))
        {
            if (open == 1 ? _perClient.TryRemove(KeyValuePair.Create(client, 1)) : _perClient.TryUpdate(client, open - 1, open))
            {
                return;
            }
        }
    }
}
