using Gateway.Core.Configuration;
using Gateway.Host.Admin;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Admin;

/// <summary>
/// GATEWAY_ADMIN_TOKEN: with it, every admin endpoint but the probes and the metrics wants it as a bearer token; without
/// it, an admin listener off loopback refuses to start.
/// </summary>
public sealed class AdminTokenTests
{
    private const string Token = "s3cret-admin-token";

    [Fact]
    public async Task EndpointsBeyondProbesAndMetricsNeedTheToken()
    {
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll("http://127.0.0.1:1"), s => s with { AdminToken = Token });
        var admin = new AdminClient(gateway.AdminEndPoint);

        foreach (var target in new[] { "/config", "/clusters", "/routes", "/explain?method=GET&path=/" })
        {
            var missing = await admin.GetAsync(target);
            var wrong = await admin.GetAsync(target, "s3cret-admin-tokem");
            var right = await admin.GetAsync(target, Token);

            Problem.AssertBody(401, missing);
            Assert.Equal("Bearer", missing.Header("WWW-Authenticate"));
            Problem.AssertBody(401, wrong);
            Assert.Equal(200, right.Status);
        }

        Problem.AssertBody(401, await admin.ReloadAsync());
        foreach (var open in new[] { "/healthz", "/readyz", "/metrics" })
        {
            Assert.Equal(200, (await admin.GetAsync(open)).Status);
        }
    }

    [Fact]
    public async Task AdminListenerOffLoopbackWithoutTokenRefusesToStart()
    {
        var refused = await Assert.ThrowsAsync<ConfigException>(
            () => TestGateway.StartAsync(Configs.CatchAll("http://127.0.0.1:1"), s => s with { AdminListen = "http://0.0.0.0:0" }));

        Assert.Equal("GATEWAY_ADMIN_LISTEN", refused.Location);
        Assert.Contains("GATEWAY_ADMIN_TOKEN", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AdminListenerOffLoopbackStartsWithToken()
    {
        var settings = TestGateway.DefaultSettings with { AdminListen = "http://0.0.0.0:9901", AdminToken = Token };

        Assert.NotNull(AdminToken.For(settings, ListenAddress.Parse(settings.AdminListen, "GATEWAY_ADMIN_LISTEN")));
        Assert.Null(AdminToken.For(TestGateway.DefaultSettings, ListenAddress.Parse("http://127.0.0.1:9901", "GATEWAY_ADMIN_LISTEN")));
    }

    [Fact]
    public void TokenIsReadFromTheEnvironment()
    {
        var settings = GatewaySettings.FromEnvironment(name => name == "GATEWAY_ADMIN_TOKEN" ? Token : null);

        Assert.Equal(Token, settings.AdminToken);
        Assert.Null(GatewaySettings.FromEnvironment(_ => null).AdminToken);
    }
}
