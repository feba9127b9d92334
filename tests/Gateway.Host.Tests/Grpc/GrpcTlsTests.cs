using Gateway.Host.Tests.Grpc.Protos;
using Gateway.Host.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gateway.Host.Tests.Grpc;

/// <summary>gRPC over TLS at both ends: a client on the gateway's https:// listener (h2 by ALPN), an <c>"protocol": "h2"</c> cluster trusting a private CA.</summary>
public sealed class GrpcTlsTests : IDisposable
{
    private readonly TestCertificates _ca = new();
    private readonly TempFolder _folder = new("gateway-grpc-tls");

    [Fact]
    public async Task UnaryAndStreamingCallsGoThroughHttpsToAnH2Upstream()
    {
        var upstreamCertificate = _ca.WriteServerPem(_folder.File("up.pem"), _folder.File("up.key"), "localhost", "localhost");
        _ca.WriteServerPem(_folder.File("api.pem"), _folder.File("api.key"), "api", "api.test");
        await using var upstream = await Http2Upstream.StartAsync(upstreamCertificate);
        await using var gateway = await TestGateway.StartAsync(
            Configs.Parse($$"""
                {
                  "tls": { "certificates": [ { "cert": "{{_folder.File("api.pem")}}", "key": "{{_folder.File("api.key")}}" } ] },
                  "routes": [ { "id": "grpc", "match": { "path": "/{*path}" }, "cluster": "grpc" } ],
                  "clusters": { "grpc": { "destinations": ["{{upstream.Url}}"], "protocol": "h2", "tls": { "ca": "{{_ca.CaFile}}" } } }
                }
                """),
            s => s with { Listen = ["https://127.0.0.1:0"] });
        using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{gateway.EndPoint.Port}", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is System.Security.Cryptography.X509Certificates.X509Certificate2 leaf && _ca.Signed(leaf) },
            },
        });
        var client = new Echo.EchoClient(channel);

        var reply = await client.SayAsync(new EchoRequest { Text = "secure" });
        using var call = client.Repeat(new EchoRequest { Text = "s", Count = 3 });
        var count = 0;
        await foreach (var _ in call.ResponseStream.ReadAllAsync())
        {
            count++;
        }

        Assert.Equal("echo: secure", reply.Text);
        Assert.Equal(3, count);
        Assert.Equal("HTTP/2", upstream.Calls.LastProtocol);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _ca.Dispose();
        _folder.Dispose();
    }
}
