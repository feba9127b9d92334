using System.Net;
using Gateway.Core.Configuration;

namespace Gateway.Core.Policies;

/// <summary>One <c>ipFilter</c> compiled: an address gets through when no denied network holds it and, if there are allowed networks, one of them does.</summary>
public sealed class IpFilter
{
    private readonly IPNetwork[] _allow;
    private readonly IPNetwork[] _deny;

    /// <summary>Compiles <paramref name="config"/> (already validated).</summary>
    public IpFilter(IpFilterConfig config)
    {
        _allow = [.. config.Allow.Select(Network)];
        _deny = [.. config.Deny.Select(Network)];
    }

    /// <summary>True when <paramref name="address"/> (IPv4-mapped IPv6 addresses taken as IPv4) may get through.</summary>
    public bool Admits(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return !Holds(_deny, address) && (_allow.Length == 0 || Holds(_allow, address));
    }

    private static bool Holds(IPNetwork[] networks, IPAddress address)
    {
        foreach (var network in networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static IPNetwork Network(string text) =>
        IpFilterValidator.TryParseNetwork(text, out var network) ? network : throw new ArgumentException($"not a network: \"{text}\"", nameof(text));
}
