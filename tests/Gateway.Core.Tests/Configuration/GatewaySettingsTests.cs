using System.Net;
using Gateway.Core.Configuration;

namespace Gateway.Core.Tests.Configuration;

/// <summary>Environment variables become settings, and a bad value names its variable.</summary>
public sealed class GatewaySettingsTests
{
    [Fact]
    public void TrustedProxiesAcceptCidrBlocksAndSingleAddresses()
    {
        var settings = Read(("GATEWAY_TRUSTED_PROXIES", "10.0.0.0/8; 192.168.1.7, ::1"));

        Assert.Equal(3, settings.TrustedProxies.Count);
        Assert.Contains(settings.TrustedProxies, n => n.Contains(IPAddress.Parse("10.20.30.40")));
        Assert.Contains(settings.TrustedProxies, n => n.Contains(IPAddress.Parse("192.168.1.7")));
        Assert.DoesNotContain(settings.TrustedProxies, n => n.Contains(IPAddress.Parse("192.168.1.8")));
        Assert.Contains(settings.TrustedProxies, n => n.Contains(IPAddress.IPv6Loopback));
    }

    [Fact]
    public void NothingIsTrustedByDefault() => Assert.Empty(Read().TrustedProxies);

    [Theory]
    [InlineData("GATEWAY_TRUSTED_PROXIES", "10.0.0.0/33")]
    [InlineData("GATEWAY_TRUSTED_PROXIES", "proxy.internal")]
    [InlineData("GATEWAY_MAX_REQUEST_HEADER_COUNT", "0")]
    [InlineData("GATEWAY_UPSTREAM_TIMEOUT", "soon")]
    [InlineData("GATEWAY_ACCESS_LOG_SAMPLE", "2")]
    [InlineData("GATEWAY_METRICS", "maybe")]
    public void BadValueNamesItsVariable(string variable, string value)
    {
        var error = Assert.Throws<ConfigException>(() => Read((variable, value)));

        Assert.Equal(variable, error.Location);
        Assert.Equal("environment", error.Origin);
    }

    private static GatewaySettings Read(params (string Name, string Value)[] variables)
    {
        var environment = variables.ToDictionary(v => v.Name, v => (string?)v.Value);
        return GatewaySettings.FromEnvironment(environment.GetValueOrDefault);
    }
}
