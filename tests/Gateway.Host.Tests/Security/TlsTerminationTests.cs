using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Gateway.Core.Configuration;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Security;

/// <summary>
/// TLS termination end to end: https:// listeners serve PEM certificates issued by a test CA and checked by the client,
/// chosen by SNI, re-read when replaced on disk; requests arrive upstream as https; HSTS only over TLS.
/// </summary>
public sealed class TlsTerminationTests : IDisposable
{
    private readonly TestCertificates _ca = new();
    private readonly ConfigFile _file = new("{}");

    private string Folder => Path.GetDirectoryName(_file.Path)!;

    [Fact]
    public async Task HttpsIsServedWithTheCertificateAndForwardedAsHttps()
    {
        _ca.WriteServerPem(Path.Combine(Folder, "api.pem"), Path.Combine(Folder, "api.key"), "api", "api.test");
        await using var upstream = await RecordingUpstream.StartAsync();
        _file.Replace(Config(upstream.Url, """[ { "cert": "api.pem", "key": "api.key" } ]""", hsts: """{ "maxAge": "8760h", "includeSubDomains": true }"""));
        await using var gateway = await TestGateway.StartAsync(_file.Source, s => s with { Listen = ["https://127.0.0.1:0", "http://127.0.0.1:0"] });

        await using var tls = await RawConnection.OpenTlsAsync(gateway.EndPoint, "api.test", _ca.Authority);
        await tls.SendAsync("GET /orders/7 HTTP/1.1\r\nHost: api.test\r\n\r\n");
        var secure = await tls.ReadResponseAsync();
        await using var plain = await RawConnection.OpenAsync(gateway.Server.PublicEndPoints[1]);
        await plain.SendAsync("GET /orders/8 HTTP/1.1\r\nHost: api.test\r\n\r\n");
        var insecure = await plain.ReadResponseAsync();

        Assert.Equal(200, secure.Status);
        Assert.Equal(SslApplicationProtocol.Http11, tls.Tls!.NegotiatedApplicationProtocol);
        Assert.True(tls.Tls.SslProtocol is SslProtocols.Tls12 or SslProtocols.Tls13);
        Assert.Equal("max-age=31536000; includeSubDomains", secure.Header("Strict-Transport-Security"));
        Assert.Equal(200, insecure.Status);
        Assert.Null(insecure.Header("Strict-Transport-Security"));
        Assert.Equal(["https", "http"], upstream.Requests.Select(r => r.Header("X-Forwarded-Proto")));
    }

    [Fact]
    public async Task TheCertificateIsChosenByTheNameTheClientAsksFor()
    {
        _ca.WriteServerPem(Path.Combine(Folder, "a.pem"), Path.Combine(Folder, "a.key"), "exact", "a.test");
        _ca.WriteServerPem(Path.Combine(Folder, "b.pem"), Path.Combine(Folder, "b.key"), "wildcard", "*.b.test");
        _ca.WriteServerPem(Path.Combine(Folder, "d.pem"), Path.Combine(Folder, "d.key"), "default", "fallback.test");
        await using var upstream = await RecordingUpstream.StartAsync();
        _file.Replace(Config(upstream.Url, """
            [ { "cert": "a.pem", "key": "a.key", "hosts": ["a.test"] },
              { "cert": "d.pem", "key": "d.key" },
              { "cert": "b.pem", "key": "b.key", "hosts": ["*.b.test"] } ]
            """));
        await using var gateway = await TestGateway.StartAsync(_file.Source, s => s with { Listen = ["https://127.0.0.1:0"] });

        Assert.Equal("CN=exact", await SubjectServedAsync(gateway, "a.test"));
        Assert.Equal("CN=exact", await SubjectServedAsync(gateway, "A.TEST"));
        Assert.Equal("CN=wildcard", await SubjectServedAsync(gateway, "x.b.test"));
        Assert.Equal("CN=default", await SubjectServedAsync(gateway, "fallback.test"));
        await Assert.ThrowsAnyAsync<AuthenticationException>(() => SubjectServedAsync(gateway, "y.x.b.test"));
    }

    [Fact]
    public async Task ACertificateReplacedOnDiskServesWithoutARestartAndOpenConnectionsKeepTheirs()
    {
        _ca.WriteServerPem(Path.Combine(Folder, "api.pem"), Path.Combine(Folder, "api.key"), "first", "api.test");
        await using var upstream = await RecordingUpstream.StartAsync();
        _file.Replace(Config(upstream.Url, """[ { "cert": "api.pem", "key": "api.key", "hosts": ["api.test"] } ]"""));
        await using var gateway = await TestGateway.StartAsync(_file.Source, s => s with { Listen = ["https://127.0.0.1:0"] });
        await using var open = await RawConnection.OpenTlsAsync(gateway.EndPoint, "api.test", _ca.Authority);

        _ca.WriteServerPem(Path.Combine(Folder, "api.pem"), Path.Combine(Folder, "api.key"), "renewed", "api.test");
        await Wait.UntilAsync(async () => await SubjectServedAsync(gateway, "api.test") == "CN=renewed" ? "renewed" : null, "the renewed certificate served");
        await open.SendAsync("GET /still HTTP/1.1\r\nHost: api.test\r\n\r\n");

        Assert.Equal(200, (await open.ReadResponseAsync()).Status);
        Assert.Equal("CN=first", open.Tls!.RemoteCertificate!.Subject);
    }

    [Fact]
    public async Task CertificatesThatDoNotLoadAreAConfigurationError()
    {
        _ca.WriteServerPem(Path.Combine(Folder, "api.pem"), Path.Combine(Folder, "api.key"), "api", "api.test");
        _ca.WriteServerPem(Path.Combine(Folder, "other.pem"), Path.Combine(Folder, "other.key"), "other", "other.test");
        _file.Replace(Config("http://127.0.0.1:9", """[ { "cert": "api.pem", "key": "other.key" } ]"""));

        var mismatch = await Assert.ThrowsAsync<ConfigException>(() => TestGateway.StartAsync(_file.Source, s => s with { Listen = ["https://127.0.0.1:0"] }));
        _file.Replace(Config("http://127.0.0.1:9", """[ { "cert": "missing.pem", "key": "api.key" } ]"""));
        var missing = await Assert.ThrowsAsync<ConfigException>(() => TestGateway.StartAsync(_file.Source, s => s with { Listen = ["https://127.0.0.1:0"] }));
        _file.Replace(Config("http://127.0.0.1:9", tls: null));
        var none = await Assert.ThrowsAsync<ConfigException>(() => TestGateway.StartAsync(_file.Source, s => s with { Listen = ["https://127.0.0.1:0"] }));

        Assert.Contains("$.tls.certificates[0]", mismatch.Message, StringComparison.Ordinal);
        Assert.Contains("missing.pem", missing.Message, StringComparison.Ordinal);
        Assert.Contains("an https:// listener needs certificates", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReloadCannotTakeTheCertificatesAwayFromAnHttpsListener()
    {
        _ca.WriteServerPem(Path.Combine(Folder, "api.pem"), Path.Combine(Folder, "api.key"), "api", "api.test");
        await using var upstream = await RecordingUpstream.StartAsync();
        _file.Replace(Config(upstream.Url, """[ { "cert": "api.pem", "key": "api.key" } ]"""));
        await using var gateway = await TestGateway.StartAsync(_file.Source, s => s with { Listen = ["https://127.0.0.1:0"], WatchConfig = false });

        _file.Replace(Config(upstream.Url, tls: null));
        var status = await gateway.Server.ReloadAsync("test");

        Assert.Contains("an https:// listener needs certificates", status.LastReload!.Error, StringComparison.Ordinal);
        Assert.Equal("CN=api", await SubjectServedAsync(gateway, "api.test"));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _file.Dispose();
        _ca.Dispose();
    }

    private async Task<string> SubjectServedAsync(TestGateway gateway, string serverName)
    {
        await using var connection = await RawConnection.OpenTlsAsync(gateway.EndPoint, serverName, _ca.Authority);
        return connection.Tls!.RemoteCertificate!.Subject;
    }

    private static string Config(string upstream, string? tls, string? hsts = null) => $$"""
        {
          {{(tls is null ? "" : $"\"tls\": {{ \"certificates\": {tls}{(hsts is null ? "" : $", \"hsts\": {hsts}")} }},")}}
          "routes": [ { "id": "all", "match": { "path": "/{*path}" }, "cluster": "c" } ],
          "clusters": { "c": { "destinations": ["{{upstream}}"] } }
        }
        """;
}
