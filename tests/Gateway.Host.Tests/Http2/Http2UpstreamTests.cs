using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Host.Tests.Grpc;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Http2;

/// <summary>
/// Plain HTTP requests to an <c>"protocol": "h2c"</c> cluster: from HTTP/2 and HTTP/1.1 clients, with the response's trailers
/// relayed to clients that accept them; the cluster's health probes and an aggregate's parts reach it over HTTP/2 too.
/// </summary>
public sealed class Http2UpstreamTests
{
    [Fact]
    public async Task AnHttp2RequestReachesAnHttp2UpstreamWithItsBodyAndComesBackWithTrailers()
    {
        await using var upstream = await Http2Upstream.StartAsync();
        await using var gateway = await StartAsync(upstream.Url);
        using var client = H2cGateway.Client(gateway);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/echo")
        {
            Content = new StringContent("ping"),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TE.ParseAdd("trailers");

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("HTTP/2 POST ping", body);
        Assert.Equal("4", Assert.Single(response.TrailingHeaders.GetValues("x-checksum")));
        Assert.NotNull(response.Headers.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task AnHttp1RequestReachesAnH2cClusterAndGetsTrailersOnlyWhenItAsks()
    {
        await using var upstream = await Http2Upstream.StartAsync();
        await using var gateway = await StartAsync(upstream.Url);

        var asking = await ExchangeAsync(gateway, "GET /echo HTTP/1.1\r\nHost: api.test\r\nTE: trailers\r\nConnection: close\r\n\r\n");
        var plain = await ExchangeAsync(gateway, "POST /echo HTTP/1.1\r\nHost: api.test\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");

        Assert.StartsWith("HTTP/1.1 200 ", asking, StringComparison.Ordinal);
        Assert.Contains("Transfer-Encoding: chunked\r\n", asking, StringComparison.Ordinal);
        Assert.Contains("HTTP/2 GET via 1.1 gateway te trailers\r\n", asking, StringComparison.Ordinal);
        Assert.EndsWith("\r\n0\r\nx-checksum: 0\r\n\r\n", asking, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200 ", plain, StringComparison.Ordinal);
        Assert.EndsWith("\r\nHTTP/2 POST hello\r\n0\r\n\r\n", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("x-checksum", plain, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\r\nVia: 2 gateway\r\n", plain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableH2cClusterIsA502AndTheNextRequestWorks()
    {
        await using var gateway = await StartAsync($"http://127.0.0.1:{Ports.Free()}");

        var failed = await gateway.SendAsync("GET /echo HTTP/1.1\r\nHost: api.test\r\n\r\n");

        Assert.Equal(502, failed.Status);
        Assert.Equal("application/problem+json", failed.Header("Content-Type"));
    }

    [Fact]
    public async Task HealthProbesReachAnHttp2OnlyDestinationOverHttp2AndKeepItHealthy()
    {
        await using var upstream = await Http2Upstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(Configs.Parse($$"""
            {
              "routes": [ { "id": "all", "match": { "path": "/{*path}" }, "cluster": "h2" } ],
              "clusters": { "h2": { "destinations": ["{{upstream.Url}}"], "protocol": "h2c",
                                    "health": { "active": { "path": "/health", "interval": "1s", "healthyAfter": 1, "unhealthyAfter": 1 } } } }
            }
            """));
        var admin = new AdminClient(gateway.AdminEndPoint);

        // An HTTP/1.1 probe never reaches the handler of an HTTP/2-only server: three that did mean the first two were recorded.
        await Wait.UntilAsync(() => upstream.Probes >= 3, "three health probes over HTTP/2");
        var destination = await admin.DestinationAsync("h2", upstream.Url);

        Assert.Equal("healthy", destination.GetProperty("state").GetString());
    }

    [Fact]
    public async Task AnAggregatesPartsReachAnH2cClusterOverHttp2()
    {
        await using var upstream = await Http2Upstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(Configs.Parse($$"""
            {
              "routes": [ { "id": "agg", "match": { "path": "/agg" },
                            "aggregate": { "parts": { "a": { "cluster": "h2", "path": "/json/a" }, "b": { "cluster": "h2", "path": "/json/b" } } } } ],
              "clusters": { "h2": { "destinations": ["{{upstream.Url}}"], "protocol": "h2c" } }
            }
            """));

        var response = await gateway.SendAsync("GET /agg HTTP/1.1\r\nHost: api.test\r\n\r\n");

        Assert.Equal(200, response.Status);
        using var body = System.Text.Json.JsonDocument.Parse(response.Body);
        Assert.Equal("""{"name":"a","protocol":"HTTP/2"}""", body.RootElement.GetProperty("a").GetRawText());
        Assert.Equal("""{"name":"b","protocol":"HTTP/2"}""", body.RootElement.GetProperty("b").GetRawText());
    }

    /// <summary>Sends <paramref name="request"/> (which asks to close) on a new connection and reads everything until the gateway closes it.</summary>
    private static async Task<string> ExchangeAsync(TestGateway gateway, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(gateway.EndPoint);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.Latin1);
        return await reader.ReadToEndAsync().WaitAsync(Wait.Generous);
    }

    private static Task<TestGateway> StartAsync(string destination) => H2cGateway.StartAsync(Configs.Parse($$"""
        {
          "routes": [ { "id": "all", "match": { "path": "/{*path}" }, "cluster": "h2" } ],
          "clusters": { "h2": { "destinations": ["{{destination}}"], "protocol": "h2c" } }
        }
        """));
}
