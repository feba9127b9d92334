using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Reload;

/// <summary>
/// Reloading frontends: their routes and hosts change on the listeners bound at start, while a change of a frontend's
/// listeners (or a frontend with listeners removed) is refused until a restart, the running configuration serving on.
/// </summary>
public sealed class FrontendReloadTests
{
    [Fact]
    public async Task AReloadChangesAFrontendsRoutesAndHostsOnTheListenersItKeeps()
    {
        using var file = new ConfigFile(Config(Listening, """{ "id": "m1", "frontend": "mobile", "match": { "path": "/one" }, "respond": { "status": 200, "body": "one" } }"""));
        await using var gateway = await TestGateway.StartAsync(file.Source);
        var mobile = gateway.FrontendEndPoint("mobile");
        var before = await gateway.SendAsync("GET /one HTTP/1.1\r\nHost: m.example.com\r\n\r\n", mobile);

        File.WriteAllText(file.Path, Config(
            Listening + """, "partners": { "hosts": ["p.example.com"] }""",
            """{ "id": "m2", "frontend": "mobile", "match": { "path": "/two" }, "respond": { "status": 200, "body": "two" } }""",
            """{ "id": "p", "frontend": "partners", "match": { "path": "/one" }, "respond": { "status": 200, "body": "partners" } }"""));
        var reload = await new AdminClient(gateway.AdminEndPoint).ReloadAsync();

        Assert.Equal((200, "one"), (before.Status, before.BodyText));
        Assert.Equal(200, reload.Status);
        Assert.Equal(mobile, gateway.FrontendEndPoint("mobile"));
        Problem.AssertIs(404, await gateway.SendAsync("GET /one HTTP/1.1\r\nHost: m.example.com\r\n\r\n", mobile));
        Assert.Equal("two", (await gateway.SendAsync("GET /two HTTP/1.1\r\nHost: m.example.com\r\n\r\n", mobile)).BodyText);
        Assert.Equal("partners", (await gateway.SendAsync("GET /one HTTP/1.1\r\nHost: p.example.com\r\n\r\n")).BodyText);
        Assert.Equal("web", (await gateway.SendAsync("GET /one HTTP/1.1\r\nHost: api.example.com\r\n\r\n")).BodyText);
    }

    [Theory]
    [InlineData("""{ "listen": ["http://127.0.0.1:1"] }""")]
    [InlineData("""{ "listen": ["http://127.0.0.1:0", "http://127.0.0.1:0"] }""")]
    [InlineData("""{ "hosts": ["m.example.com"] }""")]
    public async Task ChangingAFrontendsListenersIsRefusedUntilARestart(string changed)
    {
        const string Route = """{ "id": "m", "frontend": "mobile", "match": { "path": "/m" }, "respond": { "status": 200, "body": "mobile" } }""";
        using var file = new ConfigFile(Config(Listening, Route));
        await using var gateway = await TestGateway.StartAsync(file.Source);

        File.WriteAllText(file.Path, Config($"\"mobile\": {changed}", Route));
        var refused = await new AdminClient(gateway.AdminEndPoint).ReloadAsync();

        var detail = Problem.AssertBody(400, refused);
        Assert.Contains("$.frontends.mobile.listen: the listeners of frontend \"mobile\" cannot change while the gateway runs; a restart applies them", detail, StringComparison.Ordinal);
        Assert.Equal("mobile", (await gateway.SendAsync("GET /m HTTP/1.1\r\nHost: x\r\n\r\n", gateway.FrontendEndPoint("mobile"))).BodyText);
    }

    [Fact]
    public async Task RemovingAFrontendWithListenersIsRefused()
    {
        using var file = new ConfigFile(Config(Listening));
        await using var gateway = await TestGateway.StartAsync(file.Source);

        File.WriteAllText(file.Path, Config("""  "partners": { "hosts": ["m.example.com"] }  """));
        var refused = await new AdminClient(gateway.AdminEndPoint).ReloadAsync();

        Assert.Contains("$.frontends.mobile.listen: the listeners of frontend \"mobile\" cannot change", Problem.AssertBody(400, refused), StringComparison.Ordinal);
        Assert.Equal("web", (await gateway.SendAsync("GET /one HTTP/1.1\r\nHost: x\r\n\r\n")).BodyText);
    }

    /// <summary>The frontend "mobile" on a listener of its own, as a member of "frontends".</summary>
    private const string Listening = """  "mobile": { "listen": ["http://127.0.0.1:0"] }  """;

    /// <summary>A configuration with <paramref name="frontends"/> (the members of "frontends"), a default route at /one and <paramref name="routes"/>.</summary>
    private static string Config(string frontends, params string[] routes) => $$"""
        {
          "frontends": { {{frontends}} },
          "routes": [ { "id": "web", "match": { "path": "/one" }, "respond": { "status": 200, "body": "web" } }{{string.Concat(routes.Select(route => ", " + route))}} ]
        }
        """;
}
