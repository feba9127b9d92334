using System.Net;
using Gateway.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Gateway.Host.Tests.Resilience;

/// <summary>
/// TLS toward a cluster: the CA bundle it trusts, the server name it sends and checks, and the client certificate it
/// presents to an upstream that requires mutual TLS. Any of them wrong, the handshake fails and the client gets a 502.
/// </summary>
public sealed class UpstreamTlsTests : IAsyncLifetime, IDisposable
{
    private readonly TestCertificates _certificates = new();
    private WebApplication? _upstream;
    private string _url = "";

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = _certificates.Server;
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (certificate, _, _) => _certificates.Signed(certificate);
        })));
        _upstream = builder.Build();
        _upstream.Run(context => context.Response.WriteAsync($"hello {context.Connection.ClientCertificate?.Subject}"));
        await _upstream.StartAsync();
        _url = _upstream.Urls.Single().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheClustersCaServerNameAndClientCertificateReachAServiceThatRequiresMutualTls()
    {
        await using var gateway = await TestGateway.StartAsync(Config($$"""
            { "ca": "{{_certificates.CaFile}}", "sni": "orders.internal", "clientCert": "{{_certificates.ClientCertFile}}", "clientKey": "{{_certificates.ClientKeyFile}}" }
            """));

        var response = await gateway.SendAsync("GET /orders HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal("hello CN=gateway", response.BodyText);
    }

    [Theory]
    [InlineData("no client certificate")]
    [InlineData("the system's CAs")]
    [InlineData("another server name")]
    public async Task AWrongPieceFailsTheHandshakeWithA502(string wrong)
    {
        var tls = wrong switch
        {
            "no client certificate" => $$"""{ "ca": "{{_certificates.CaFile}}", "sni": "orders.internal" }""",
            "the system's CAs" => $$"""{ "sni": "orders.internal", "clientCert": "{{_certificates.ClientCertFile}}", "clientKey": "{{_certificates.ClientKeyFile}}" }""",
            _ => $$"""{ "ca": "{{_certificates.CaFile}}", "sni": "billing.internal", "clientCert": "{{_certificates.ClientCertFile}}", "clientKey": "{{_certificates.ClientKeyFile}}" }""",
        };
        await using var gateway = await TestGateway.StartAsync(Config(tls));

        var response = await gateway.SendAsync("GET /orders HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(502, response.Status);
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_upstream is not null)
        {
            await _upstream.DisposeAsync();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _certificates.Dispose();

    private Gateway.Core.Configuration.GatewayConfig Config(string tls) => Configs.Parse($$"""
        {
          "routes": [ { "id": "all", "match": { "path": "/{*path}" }, "cluster": "c" } ],
          "clusters": { "c": { "destinations": ["{{_url}}"], "tls": {{tls}} } }
        }
        """);
}
