using System.Net;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Http2;

/// <summary>One https:// port serves both protocols: a client that chooses <c>h2</c> by ALPN gets Kestrel's HTTP/2, one that chooses <c>http/1.1</c> the gateway's own loop.</summary>
public sealed class H2TlsTests : IDisposable
{
    private readonly TestCertificates _ca = new();
    private readonly ConfigFile _file = new("{}");

    [Fact]
    public async Task OneTlsPortServesHttp2AndHttp1ByAlpn()
    {
        var folder = Path.GetDirectoryName(_file.Path)!;
        _ca.WriteServerPem(Path.Combine(folder, "api.pem"), Path.Combine(folder, "api.key"), "api", "api.test");
        await using var upstream = await RecordingUpstream.StartAsync();
        _file.Replace($$"""
            {
              "tls": { "certificates": [ { "cert": "api.pem", "key": "api.key" } ], "hsts": { "maxAge": "1h" } },
              "routes": [ { "id": "all", "match": { "path": "/{*path}" }, "cluster": "c" } ],
              "clusters": { "c": { "destinations": ["{{upstream.Url}}"] } }
            }
            """);
        await using var gateway = await TestGateway.StartAsync(_file.Source, s => s with { Listen = ["https://127.0.0.1:0"] });

        using var overHttp2 = await SendAsync(gateway, HttpVersion.Version20, "/two");
        using var overHttp1 = await SendAsync(gateway, HttpVersion.Version11, "/one");

        Assert.Equal(HttpVersion.Version20, overHttp2.Version);
        Assert.Equal("upstream GET /two", await overHttp2.Content.ReadAsStringAsync());
        Assert.Equal("max-age=3600", Assert.Single(overHttp2.Headers.GetValues("Strict-Transport-Security")));
        Assert.Equal(HttpVersion.Version11, overHttp1.Version);
        Assert.Equal("upstream GET /one", await overHttp1.Content.ReadAsStringAsync());
        Assert.Equal(["https", "https"], upstream.Requests.Select(r => r.Header("X-Forwarded-Proto")));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _ca.Dispose();
        _file.Dispose();
    }

    private async Task<HttpResponseMessage> SendAsync(TestGateway gateway, Version version, string path)
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { TargetHost = "api.test", RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is System.Security.Cryptography.X509Certificates.X509Certificate2 leaf && _ca.Signed(leaf) },
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{gateway.EndPoint.Port}{path}")
        {
            Version = version,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        return await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
    }
}
