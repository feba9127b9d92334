using Gateway.Core.Configuration;

namespace Gateway.Core.Tests.Configuration;

/// <summary>The tls section: certificates with both files, each name served by one certificate, one default, a sound HSTS; https:// listeners.</summary>
public sealed class TlsConfigTests
{
    [Fact]
    public void CertificatesWithNamesAndADefaultAreAccepted()
    {
        var config = ConfigLoader.Parse(Config("""
            { "certificates": [ { "cert": "api.pem", "key": "api.key", "hosts": ["api.example.com", "*.example.com"] }, { "cert": "d.pem", "key": "d.key" } ],
              "hsts": { "maxAge": "8760h", "includeSubDomains": true, "preload": true } }
            """), "test.json");

        Assert.Equal(["api.example.com", "*.example.com"], config.Tls!.Certificates[0].Hosts);
        Assert.Empty(config.Tls.Certificates[1].Hosts);
        Assert.True(config.Tls.Hsts!.Preload);
    }

    [Fact]
    public void ASectionWithoutCertificatesIsRefused() =>
        ConfigAssert.ParseFails(Config("""{ "certificates": [] }"""), "$.tls.certificates", "name at least one certificate");

    [Fact]
    public void ACertificateNeedsBothFiles() =>
        ConfigAssert.ParseFails(Config("""{ "certificates": [ { "cert": "api.pem" } ] }"""), "$.tls.certificates[0].key", "name the PEM private key file");

    [Fact]
    public void ANameServedByTwoCertificatesIsRefused() =>
        ConfigAssert.ParseFails(
            Config("""{ "certificates": [ { "cert": "a.pem", "key": "a.key", "hosts": ["api.example.com"] }, { "cert": "b.pem", "key": "b.key", "hosts": ["API.example.com"] } ] }"""),
            "$.tls.certificates[1].hosts[0]",
            "already served by certificates[0]");

    [Fact]
    public void TwoDefaultsAreRefused() =>
        ConfigAssert.ParseFails(
            Config("""{ "certificates": [ { "cert": "a.pem", "key": "a.key" }, { "cert": "b.pem", "key": "b.key" } ] }"""), "$.tls.certificates[1].hosts", "only one certificate can be the default");

    [Theory]
    [InlineData("api.example.com:443", "must not include a port")]
    [InlineData("https://api.example.com", "must not include a scheme")]
    [InlineData("api..example.com", "is not a host name")]
    public void AHostThatIsNoNameIsRefused(string host, string reason) =>
        ConfigAssert.ParseFails(Config($$"""{ "certificates": [ { "cert": "a.pem", "key": "a.key", "hosts": ["{{host}}"] } ] }"""), "$.tls.certificates[0].hosts[0]", reason);

    [Theory]
    [InlineData("""{ "maxAge": "soon" }""", "$.tls.hsts.maxAge", "expected a duration")]
    [InlineData("""{ "maxAge": "8760h", "preload": true }""", "$.tls.hsts.preload", "needs \"includeSubDomains\": true")]
    [InlineData("""{ "maxAge": "1h", "includeSubDomains": true, "preload": true }""", "$.tls.hsts.preload", "a year")]
    public void AnUnsoundHstsIsRefused(string hsts, string path, string reason) =>
        ConfigAssert.ParseFails(Config($$"""{ "certificates": [ { "cert": "a.pem", "key": "a.key" } ], "hsts": {{hsts}} }"""), path, reason);

    [Theory]
    [InlineData("https://0.0.0.0:8443", true)]
    [InlineData("http://127.0.0.1:8080", false)]
    public void ListenersAreHttpOrHttps(string url, bool https)
    {
        Assert.True(ListenAddress.TryParse(url, out var address, out _));
        Assert.Equal(https, address.Https);
    }

    [Fact]
    public void AListenerOfAnotherSchemeIsRefused() =>
        ConfigAssert.ParseFails(Config(tls: null, listen: "ftp://0.0.0.0:21"), "$.listen[0]", "a listener is http://, https:// or h2c://");

    [Fact]
    public void AnH2cListenerIsCleartextHttp2WithItsPort()
    {
        Assert.True(ListenAddress.TryParse("h2c://127.0.0.1:8082", out var address, out _));
        Assert.True(address.H2c);
        Assert.False(address.Https);
        Assert.Equal(8082, address.EndPoint.Port);
        Assert.False(ListenAddress.TryParse("h2c://127.0.0.1", out _, out var problem));
        Assert.Contains("names its port", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AnHttpsListenerNeedsCertificates()
    {
        var config = ConfigLoader.Parse(Config(tls: null, listen: "https://0.0.0.0:8443"), "test.json");

        var error = Assert.Throws<ConfigException>(() => new GatewaySettings().CheckListeners(config, "test.json"));
        Assert.Contains("$.tls", error.Message, StringComparison.Ordinal);
        new GatewaySettings { Listen = ["http://0.0.0.0:8080"] }.CheckListeners(config, "test.json");
    }

    private static string Config(string? tls, string? listen = null) => $$"""
        {
          {{(listen is null ? "" : $"\"listen\": [\"{listen}\"],")}}
          {{(tls is null ? "" : $"\"tls\": {tls},")}}
          "routes": [ { "id": "r", "match": { "path": "/" }, "respond": { "status": 204 } } ]
        }
        """;
}
