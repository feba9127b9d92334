using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Lifecycle;

/// <summary>
/// Health and readiness answer on the admin listener only; the public port treats those paths like any unrouted path; the
/// admin listener refuses what a browser sends on a web page's behalf.
/// </summary>
public sealed class AdminEndpointTests
{
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task AdminEndpointAnswers200(string path)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream);
        await using var admin = await RawConnection.OpenAsync(gateway.AdminEndPoint);

        await admin.SendAsync($"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var response = await admin.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.Equal(0, upstream.Arrivals);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task AdminPathsAreNotServedOnThePublicPort(string path)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream);

        var response = await gateway.SendAsync($"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");

        Problem.AssertIs(404, response);
        Assert.Equal(0, upstream.Arrivals);
    }

    [Theory]
    [InlineData("POST /config/reload HTTP/1.1\r\nHost: localhost\r\nOrigin: https://evil.example\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("GET /config HTTP/1.1\r\nHost: localhost\r\nSec-Fetch-Site: cross-site\r\n\r\n")]
    public async Task ARequestAWebPageMadeIsRefused(string request)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream);
        await using var admin = await RawConnection.OpenAsync(gateway.AdminEndPoint);

        await admin.SendAsync(request);
        var response = await admin.ReadResponseAsync();

        Problem.AssertBody(403, response);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await new AdminClient(gateway.AdminEndPoint).ConfigAsync()).GetProperty("lastReload").ValueKind);
    }

    private static Task<TestGateway> StartAsync(RecordingUpstream upstream) => TestGateway.StartAsync(Configs.Parse($$"""
        {
          "routes": [ { "id": "api", "match": { "path": "/api/{*rest}" }, "cluster": "api" } ],
          "clusters": { "api": { "destinations": [ "{{upstream.Url}}" ] } }
        }
        """));
}
