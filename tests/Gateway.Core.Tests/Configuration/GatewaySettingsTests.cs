using System.Net;
using Gateway.Core.Configuration;
using Gateway.Core.Observability;
using Gateway.Core.Sockets;

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

    [Fact]
    public void AnEmptyAdminListenTurnsTheAdminListenerOffWhileAnUnsetOneKeepsTheDefault()
    {
        Assert.Equal("", Read(("GATEWAY_ADMIN_LISTEN", "")).AdminListen);
        Assert.Equal("http://127.0.0.1:9901", Read().AdminListen);
    }

    [Fact]
    public void SlowClientDefaultsMatchKestrel()
    {
        var settings = Read();

        Assert.Equal(240, settings.Limits.MinRequestBodyRate);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Limits.MinRequestBodyRateGrace);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Limits.RequestHeadersTimeout);
        Assert.Equal(0, settings.Transport.MaxConnections);
        Assert.Equal(0, settings.Transport.MaxConnectionsPerClient);
    }

    [Fact]
    public void SlowClientLimitsAreReadFromTheEnvironment()
    {
        var settings = Read(
            ("GATEWAY_MIN_REQUEST_BODY_RATE", "1000"),
            ("GATEWAY_MIN_REQUEST_BODY_RATE_GRACE", "2s"),
            ("GATEWAY_MAX_CONNECTIONS", "5000"),
            ("GATEWAY_MAX_CONNECTIONS_PER_CLIENT", "64"));

        Assert.Equal(1000, settings.Limits.MinRequestBodyRate);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.Limits.MinRequestBodyRateGrace);
        Assert.Equal(5000, settings.Transport.MaxConnections);
        Assert.Equal(64, settings.Transport.MaxConnectionsPerClient);
    }

    [Theory]
    [InlineData("GATEWAY_TRUSTED_PROXIES", "10.0.0.0/33")]
    [InlineData("GATEWAY_TRUSTED_PROXIES", "proxy.internal")]
    [InlineData("GATEWAY_MAX_REQUEST_HEADER_COUNT", "0")]
    [InlineData("GATEWAY_UPSTREAM_TIMEOUT", "soon")]
    [InlineData("GATEWAY_UPSTREAM_TIMEOUT", "1001h")]
    [InlineData("GATEWAY_ACCESS_LOG_SAMPLE", "2")]
    [InlineData("GATEWAY_METRICS", "maybe")]
    [InlineData("GATEWAY_MIN_REQUEST_BODY_RATE", "fast")]
    [InlineData("GATEWAY_MIN_REQUEST_BODY_RATE_GRACE", "later")]
    [InlineData("GATEWAY_MAX_CONNECTIONS_PER_CLIENT", "-1")]
    [InlineData("GATEWAY_DRAIN_DELAY", "soon")]
    [InlineData("GATEWAY_LOG_FORMAT", "xml")]
    [InlineData("GATEWAY_TRANSPORT", "io_uring")]
    public void BadValueNamesItsVariable(string variable, string value)
    {
        var error = Assert.Throws<ConfigException>(() => Read((variable, value)));

        Assert.Equal(variable, error.Location);
        Assert.Equal("environment", error.Origin);
    }

    [Theory]
    [InlineData("GATEWAY_UPSTREAM_TIMEOUT", "504")]
    [InlineData("GATEWAY_UPSTREAM_CONNECT_TIMEOUT", "every upstream connection")]
    [InlineData("GATEWAY_REQUEST_HEADERS_TIMEOUT", "whole head")]
    [InlineData("GATEWAY_KEEPALIVE_TIMEOUT", "next request")]
    public void AZeroDurationThatWouldBreakRequestsIsRefusedNamingItsVariable(string variable, string consequence)
    {
        var error = Assert.Throws<ConfigException>(() => Read((variable, "0")));

        Assert.Equal(variable, error.Location);
        Assert.StartsWith("must be greater than zero: 0 would", error.Reason, StringComparison.Ordinal);
        Assert.Contains(consequence, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ZeroStaysAllowedWhereItMeansNone()
    {
        var settings = Read(("GATEWAY_MIN_REQUEST_BODY_RATE", "0"), ("GATEWAY_DRAIN_TIMEOUT", "0"), ("GATEWAY_UPSTREAM_IDLE_TIMEOUT", "0s"), ("GATEWAY_DRAIN_DELAY", "0"));

        Assert.Equal(0, settings.Limits.MinRequestBodyRate);
        Assert.Equal(TimeSpan.Zero, settings.DrainTimeout);
        Assert.Equal(TimeSpan.Zero, settings.DrainDelay);
    }

    [Fact]
    public void StoppingWaitsFiveSecondsBeforeDrainingAndMessagesAreTextByDefault()
    {
        var settings = Read();

        Assert.Equal(TimeSpan.FromSeconds(5), settings.DrainDelay);
        Assert.Equal(GatewayLogFormat.Text, settings.Observability.LogFormat);
    }

    [Theory]
    [InlineData("text", GatewayLogFormat.Text)]
    [InlineData("JSON", GatewayLogFormat.Json)]
    public void TheLogFormatIsReadWhateverItsCase(string value, GatewayLogFormat format) =>
        Assert.Equal(format, Read(("GATEWAY_LOG_FORMAT", value)).Observability.LogFormat);

    [Fact]
    public void OnLinuxBothSidesUseTheEpollTransportUnlessSocketsAreChosen()
    {
        var defaults = Read();
        var sockets = Read(("GATEWAY_TRANSPORT", "Sockets"));

        Assert.Equal(TransportKind.Epoll, defaults.Transport.Kind);
        Assert.Equal(TransportKind.Epoll, defaults.UpstreamDefaults.Transport);
        Assert.Equal(TransportKind.Sockets, sockets.Transport.Kind);
        Assert.Equal(TransportKind.Sockets, sockets.UpstreamDefaults.Transport);
    }

    private static GatewaySettings Read(params (string Name, string Value)[] variables)
    {
        var environment = variables.ToDictionary(v => v.Name, v => (string?)v.Value);
        return GatewaySettings.FromEnvironment(environment.GetValueOrDefault);
    }
}
