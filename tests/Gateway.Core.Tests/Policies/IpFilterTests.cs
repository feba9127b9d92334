using System.Net;
using Gateway.Core.Configuration;
using Gateway.Core.Policies;

namespace Gateway.Core.Tests.Policies;

/// <summary>Which client addresses an ipFilter admits: allowed networks, denied networks (which win), IPv6 and IPv4-mapped addresses.</summary>
public sealed class IpFilterTests
{
    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("10.255.255.255", true)]
    [InlineData("11.0.0.1", false)]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.0.0.2", false)]
    [InlineData("::ffff:10.9.9.9", true)]
    [InlineData("2001:db8::1", true)]
    [InlineData("2001:db9::1", false)]
    public void OnlyAllowedNetworksGetThrough(string address, bool admitted)
    {
        var filter = new IpFilter(new IpFilterConfig { Allow = ["10.0.0.0/8", "127.0.0.1", "2001:db8::/32"] });

        Assert.Equal(admitted, filter.Admits(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("10.6.6.6", false)]
    [InlineData("::ffff:10.6.0.1", false)]
    [InlineData("192.0.2.1", false)]
    public void ADeniedNetworkWinsOverAnAllowedOneHoldingIt(string address, bool admitted)
    {
        var filter = new IpFilter(new IpFilterConfig { Allow = ["10.0.0.0/8"], Deny = ["10.6.0.0/16"] });

        Assert.Equal(admitted, filter.Admits(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("203.0.113.7", false)]
    [InlineData("203.0.114.7", true)]
    [InlineData("::1", true)]
    public void WithOnlyDeniedNetworksEveryOtherAddressGetsThrough(string address, bool admitted)
    {
        var filter = new IpFilter(new IpFilterConfig { Deny = ["203.0.113.0/24"] });

        Assert.Equal(admitted, filter.Admits(IPAddress.Parse(address)));
    }
}
