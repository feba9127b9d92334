using Gateway.Core.Configuration;
using Gateway.Core.Snapshots;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Tests.Configuration;

/// <summary>The frontends section: names, listeners and hosts each owned by one frontend, routes naming a defined one, and what compiling makes of them.</summary>
public sealed class FrontendConfigTests
{
    [Fact]
    public void FrontendsWithListenersOrHostsAreAccepted()
    {
        var config = ConfigLoader.Parse(Config("""
            "mobile": { "listen": ["http://0.0.0.0:8081"], "hosts": ["m.api.example.com"] },
            "partners": { "hosts": ["partners.example.com", "*.partners.example.com"] }
            """, """{ "id": "dashboard", "frontend": "mobile", "match": { "path": "/dashboard/{userId}" }, "respond": { "status": 204 } }"""), "test.json");

        Assert.Equal(["http://0.0.0.0:8081"], config.Frontends["mobile"].Listen);
        Assert.Empty(config.Frontends["partners"].Listen);
        Assert.Equal("mobile", config.Routes[1].Frontend);
        Assert.Null(config.Routes[0].Frontend);
    }

    [Fact]
    public void ARouteNamingAnUnknownFrontendIsRefused() =>
        ConfigAssert.ParseFails(
            Config("""  "mobile": { "hosts": ["m.example.com"] }  """, """{ "id": "b", "frontend": "mobil", "match": { "path": "/b" }, "respond": { "status": 204 } }"""),
            "$.routes[1].frontend",
            "unknown frontend \"mobil\"; defined frontends: \"mobile\"");

    [Fact]
    public void AFrontendWithNeitherListenersNorHostsIsRefused() =>
        ConfigAssert.ParseFails(Config("""  "mobile": { "listen": [], "hosts": [] }  """), "$.frontends.mobile", "a frontend needs \"listen\"");

    [Theory]
    [InlineData("mobile app", "$.frontends['mobile app']")]
    [InlineData("mobile:1", "$.frontends.mobile:1")]
    [InlineData("", "$.frontends.")]
    public void AFrontendNameOfOtherCharactersIsRefused(string name, string path) =>
        ConfigAssert.ParseFails(Config($$"""  "{{name}}": { "hosts": ["m.example.com"] }  """), path, "must be letters, digits, '-' and '_'");

    [Theory]
    [InlineData("http://0.0.0.0:8081", "http://0.0.0.0:8081")]
    [InlineData("http://127.0.0.1:8081", "https://0.0.0.0:8081")]
    [InlineData("http://[::]:8081", "http://127.0.0.1:8081")]
    public void AListenerOfTwoFrontendsIsRefused(string first, string second) =>
        ConfigAssert.ParseFails(
            Config($$"""  "mobile": { "listen": ["{{first}}"] }, "partners": { "listen": ["http://0.0.0.0:9000", "{{second}}"] }  """),
            "$.frontends.partners.listen[1]",
            $"\"{second}\" binds the port of \"{first}\", a listener of frontend \"mobile\"");

    [Fact]
    public void ListenersOnOtherAddressesOrPortZeroAreDistinct()
    {
        var config = ConfigLoader.Parse(
            Config("""  "mobile": { "listen": ["http://127.0.0.1:8081", "http://127.0.0.1:0"] }, "partners": { "listen": ["http://127.0.0.2:8081", "http://127.0.0.1:0"] }  """),
            "test.json");

        new GatewaySettings { Listen = ["http://127.0.0.1:0"] }.CheckListeners(config, "test.json");
    }

    [Fact]
    public void ABadListenerUrlIsRefused() =>
        ConfigAssert.ParseFails(Config("""  "mobile": { "listen": ["http://0.0.0.0:8081/m"] }  """), "$.frontends.mobile.listen[0]", "must not have a path or query");

    [Theory]
    [InlineData(null, null, "when neither GATEWAY_LISTEN nor \"listen\" names one")]
    [InlineData(null, "http://127.0.0.1:8080", "from \"listen\"")]
    [InlineData("http://[::]:8080", "http://127.0.0.1:9000", "from GATEWAY_LISTEN")]
    public void AFrontendListenerOnAPortOfTheDefaultListenersIsRefused(string? environment, string? file, string origin)
    {
        var config = ConfigLoader.Parse($$"""
            { {{(file is null ? "" : $"\"listen\": [\"{file}\"],")}}
              "frontends": { "mobile": { "listen": ["http://127.0.0.1:8081", "http://127.0.0.1:8080"] } },
              "routes": [ { "id": "a", "match": { "path": "/a" }, "respond": { "status": 204 } } ] }
            """, "test.json");
        var settings = new GatewaySettings { Listen = environment is null ? null : [environment] };

        var error = ConfigAssert.Fails(() => settings.CheckListeners(config, "test.json"), "$.frontends.mobile.listen[1]", "binds the port of the default listener");

        Assert.Contains(origin, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnHttpsFrontendListenerNeedsCertificates()
    {
        var config = ConfigLoader.Parse(Config("""  "mobile": { "listen": ["https://127.0.0.1:8443"] }  """), "test.json");

        ConfigAssert.Fails(() => new GatewaySettings().CheckListeners(config, "test.json"), "$.tls", "an https:// listener needs certificates");
    }

    [Theory]
    [InlineData("m.example.com", "M.EXAMPLE.com")]
    [InlineData("*.example.com", "*.example.com")]
    public void AHostOfTwoFrontendsIsRefused(string first, string second) =>
        ConfigAssert.ParseFails(
            Config($$"""  "mobile": { "hosts": ["{{first}}"] }, "partners": { "listen": ["http://0.0.0.0:9000"], "hosts": ["p.example.com", "{{second}}"] }  """),
            "$.frontends.partners.hosts[1]",
            $"host \"{second}\" already belongs to frontend \"mobile\"");

    [Theory]
    [InlineData("m.example.com:443", "must not include a port")]
    [InlineData("https://m.example.com", "must not include a scheme")]
    [InlineData("m..example.com", "is not a host name")]
    public void AHostThatIsNoNameIsRefused(string host, string reason) =>
        ConfigAssert.ParseFails(Config($$"""  "mobile": { "hosts": ["{{host}}"] }  """), "$.frontends.mobile.hosts[0]", reason);

    [Fact]
    public void RouteIdsStayUniqueAcrossFrontends() =>
        ConfigAssert.ParseFails(
            Config("""  "mobile": { "hosts": ["m.example.com"] }  """, """{ "id": "a", "frontend": "mobile", "match": { "path": "/a" }, "respond": { "status": 204 } }"""),
            "$.routes[1].id",
            "duplicate route id \"a\" (already used by $.routes[0])");

    [Fact]
    public void EachFrontendCompilesItsRoutesIntoATreeOfItsOwn()
    {
        var config = ConfigLoader.Parse(
            Config("""  "mobile": { "listen": ["http://127.0.0.1:0"] }  """, """{ "id": "m", "frontend": "mobile", "match": { "path": "/a" }, "respond": { "status": 204 } }"""),
            "test.json");

        using var snapshot = SnapshotCompiler.Compile(config, new UpstreamSettings(), "test.json");

        Assert.Equal("a", Assert.Single(snapshot.Routes.For(0, "h"u8).Routes).Id);
        Assert.Equal("m", Assert.Single(snapshot.Routes.For(snapshot.Routes.ListenerOf("mobile"), "h"u8).Routes).Id);
    }

    [Fact]
    public void AnAmbiguousRouteInAFrontendIsNamedAtItsPlaceInTheFile()
    {
        var config = ConfigLoader.Parse(
            Config("""  "mobile": { "hosts": ["m.example.com"] }  """,
                """{ "id": "m1", "frontend": "mobile", "match": { "path": "/m/{id}" }, "respond": { "status": 204 } }""",
                """{ "id": "m2", "frontend": "mobile", "match": { "path": "/m/{name}" }, "respond": { "status": 204 } }"""),
            "test.json");

        ConfigAssert.Fails(() => SnapshotCompiler.Compile(config, new UpstreamSettings(), "test.json"), "$.routes[2].match.path", "ambiguous with route \"m1\"");
    }

    /// <summary>A configuration with <paramref name="frontends"/> (the members of "frontends"), a route "a" at /a and <paramref name="routes"/>.</summary>
    private static string Config(string frontends, params string[] routes) => $$"""
        {
          "frontends": { {{frontends}} },
          "routes": [ { "id": "a", "match": { "path": "/a" }, "respond": { "status": 204 } }{{string.Concat(routes.Select(route => ", " + route))}} ]
        }
        """;
}
