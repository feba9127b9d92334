using System.Net;
using System.Net.Security;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Routing;

/// <summary>
/// Frontends end to end: each one's routes are served only on its own listeners, or on the default listeners for the hosts
/// it claims; the same cluster shows a different shape to each; a frontend with listeners and hosts serves only those hosts.
/// </summary>
public sealed class FrontendTests
{
    [Fact]
    public async Task EachFrontendsRoutesAreServedOnItsOwnListenerOnly()
    {
        await using var users = await RecordingUpstream.StartAsync("users");
        await using var gateway = await TestGateway.StartAsync(Configs.Parse($$"""
            {
              "frontends": { "mobile": { "listen": ["http://127.0.0.1:0"] } },
              "routes": [
                { "id": "web-user", "match": { "path": "/users/{id}" }, "cluster": "users" },
                { "id": "web-status", "match": { "path": "/status" }, "respond": { "status": 200, "body": "web" } },
                { "id": "mobile-profile", "frontend": "mobile", "match": { "path": "/profile/{id}" }, "cluster": "users", "rewrite": { "path": "/users/{id}" } },
                { "id": "mobile-status", "frontend": "mobile", "match": { "path": "/status" }, "respond": { "status": 200, "body": "mobile" } }
              ],
              "clusters": { "users": { "destinations": ["{{users.Url}}"] } }
            }
            """));
        var mobile = gateway.FrontendEndPoint("mobile");

        var webUser = await gateway.SendAsync("GET /users/7 HTTP/1.1\r\nHost: api.example.com\r\n\r\n");
        var profileOnWeb = await gateway.SendAsync("GET /profile/7 HTTP/1.1\r\nHost: api.example.com\r\n\r\n");
        var profile = await gateway.SendAsync("GET /profile/8 HTTP/1.1\r\nHost: api.example.com\r\n\r\n", mobile);
        var userOnMobile = await gateway.SendAsync("GET /users/8 HTTP/1.1\r\nHost: api.example.com\r\n\r\n", mobile);
        var webStatus = await gateway.SendAsync("GET /status HTTP/1.1\r\nHost: api.example.com\r\n\r\n");
        var mobileStatus = await gateway.SendAsync("GET /status HTTP/1.1\r\nHost: api.example.com\r\n\r\n", mobile);

        Assert.NotEqual(gateway.EndPoint.Port, mobile.Port);
        Assert.Equal([null, "mobile"], gateway.Server.PublicFrontends);
        Assert.Equal((200, 200), (webUser.Status, profile.Status));
        Assert.Equal(["/users/7", "/users/8"], users.Requests.Select(request => request.Target));
        Problem.AssertIs(404, profileOnWeb);
        Problem.AssertIs(404, userOnMobile);
        Assert.Equal(("web", "mobile"), (webStatus.BodyText, mobileStatus.BodyText));
        var metrics = await new AdminClient(gateway.AdminEndPoint).MetricsAsync();
        Assert.Equal(1, MetricsText.Value(metrics, "gateway_requests_total{route=\"mobile-profile\",method=\"GET\",code=\"2xx\"}"));
        Assert.Equal(1, MetricsText.Value(metrics, "gateway_requests_total{route=\"web-user\",method=\"GET\",code=\"2xx\"}"));
    }

    [Theory]
    [InlineData("m.example.com", "/profile/7", "mobile")]
    [InlineData("M.Example.COM:8080", "/profile/7", "mobile")]
    [InlineData("eu.m.example.com", "/profile/7", "mobile")]
    [InlineData("m.example.com", "/elsewhere", null)]
    [InlineData("api.example.com", "/profile/7", "web")]
    [InlineData("api.example.com", "/elsewhere", "web")]
    public async Task OnTheDefaultListenerAFrontendsHostIsRoutedInItsTreeOnly(string host, string path, string? expected)
    {
        await using var gateway = await TestGateway.StartAsync(Configs.Parse("""
            {
              "frontends": { "mobile": { "hosts": ["m.example.com", "*.m.example.com"] } },
              "routes": [
                { "id": "web", "match": { "path": "/{*rest}" }, "respond": { "status": 200, "body": "web" } },
                { "id": "mobile-profile", "frontend": "mobile", "match": { "path": "/profile/{id}" }, "respond": { "status": 200, "body": "mobile" } }
              ]
            }
            """));

        var response = await gateway.SendAsync($"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n");

        if (expected is null)
        {
            Problem.AssertIs(404, response);
        }
        else
        {
            Assert.Equal((200, expected), (response.Status, response.BodyText));
        }
    }

    [Theory]
    [InlineData("m.example.com", true, "mobile")]
    [InlineData("api.example.com", true, null)]
    [InlineData("m.example.com.other.org", true, null)]
    [InlineData("m.example.com", false, "web")]
    [InlineData("api.example.com", false, "web")]
    public async Task AFrontendWithListenersAndHostsServesOnlyItsHostsOnItsListeners(string host, bool onMobileListener, string? expected)
    {
        await using var gateway = await TestGateway.StartAsync(Configs.Parse("""
            {
              "frontends": { "mobile": { "listen": ["http://127.0.0.1:0"], "hosts": ["m.example.com"] } },
              "routes": [
                { "id": "web", "match": { "path": "/{*rest}" }, "respond": { "status": 200, "body": "web" } },
                { "id": "mobile", "frontend": "mobile", "match": { "path": "/{*rest}" }, "respond": { "status": 200, "body": "mobile" } }
              ]
            }
            """));

        var response = await gateway.SendAsync($"GET /home HTTP/1.1\r\nHost: {host}\r\n\r\n", onMobileListener ? gateway.FrontendEndPoint("mobile") : null);

        if (expected is null)
        {
            Problem.AssertIs(404, response);
        }
        else
        {
            Assert.Equal((200, expected), (response.Status, response.BodyText));
        }
    }

    [Fact]
    public async Task AnHttpsFrontendListenerServesItsRoutesOverTls()
    {
        using var ca = new TestCertificates();
        using var file = new ConfigFile("{}");
        var folder = Path.GetDirectoryName(file.Path)!;
        ca.WriteServerPem(Path.Combine(folder, "m.pem"), Path.Combine(folder, "m.key"), "m", "m.test");
        file.Replace("""
            {
              "frontends": { "mobile": { "listen": ["https://127.0.0.1:0"] } },
              "tls": { "certificates": [ { "cert": "m.pem", "key": "m.key" } ] },
              "routes": [
                { "id": "web", "match": { "path": "/hello" }, "respond": { "status": 200, "body": "web" } },
                { "id": "mobile", "frontend": "mobile", "match": { "path": "/hello" }, "respond": { "status": 200, "body": "mobile" } }
              ]
            }
            """);
        await using var gateway = await TestGateway.StartAsync(file.Source);

        await using var tls = await RawConnection.OpenTlsAsync(gateway.FrontendEndPoint("mobile"), "m.test", ca.Authority, [SslApplicationProtocol.Http11]);
        await tls.SendAsync("GET /hello HTTP/1.1\r\nHost: m.test\r\n\r\n");
        var mobile = await tls.ReadResponseAsync();
        var web = await gateway.SendAsync("GET /hello HTTP/1.1\r\nHost: m.test\r\n\r\n");

        Assert.Equal((200, "mobile"), (mobile.Status, mobile.BodyText));
        Assert.Equal((200, "web"), (web.Status, web.BodyText));
        Assert.StartsWith("https://127.0.0.1:", gateway.Server.PublicUrls[1], StringComparison.Ordinal);
        Assert.Equal(IPAddress.Loopback, gateway.FrontendEndPoint("mobile").Address);
    }
}
