using System.Text;
using Gateway.Core.Routing;
using static Gateway.Core.Tests.Routing.RouteTableHarness;

namespace Gateway.Core.Tests.Routing;

/// <summary>Which frontend's table a request is routed in: by the listener it came on, and by its host where frontends claim hosts.</summary>
public sealed class FrontendRoutesTests
{
    private static readonly RouteTable<string> Web = Table(Route("web-user", "/users/{id}"));
    private static readonly RouteTable<string> Mobile = Table(Route("mobile-profile", "/profile/{id}"));
    private static readonly RouteTable<string> Partners = Table(Route("partner-order", "/orders/{id}"));
    private static readonly RouteTable<string> Tenants = Table(Route("tenant-home", "/home"));

    [Fact]
    public void ListenersAreNumberedDefaultFirstThenFrontendsWithListenersByName()
    {
        var routes = new FrontendRoutes<string>(Web, [Frontend("partners", listens: true), Frontend("by-host", listens: false, "m.example.com"), Frontend("mobile", listens: true)]);

        Assert.Equal([0, 1, 2], [routes.ListenerOf(null), routes.ListenerOf("mobile"), routes.ListenerOf("partners")]);
        Assert.Throws<ArgumentException>(() => routes.ListenerOf("by-host"));
        Assert.Throws<ArgumentException>(() => routes.ListenerOf("unknown"));
    }

    [Fact]
    public void EachListenerRoutesInItsOwnFrontendsTable()
    {
        var routes = new FrontendRoutes<string>(Web, [new("mobile", true, [], Mobile)]);
        var mobile = routes.ListenerOf("mobile");

        Assert.Same(Web, routes.For(0, "api.example.com"u8));
        Assert.Same(Mobile, routes.For(mobile, "api.example.com"u8));
        Assert.Same(Mobile, routes.For(mobile, ""u8));
        Assert.Equal(["web-user", "mobile-profile"], routes.Routes.Select(route => route.Id));
    }

    [Theory]
    [InlineData("m.example.com", "mobile")]
    [InlineData("M.Example.COM", "mobile")]
    [InlineData("acme.tenants.example.com", "tenants")]
    [InlineData("x.acme.tenants.example.com", "tenants")]
    [InlineData("vip.tenants.example.com", "partners")]
    [InlineData("tenants.example.com", "default")]
    [InlineData("api.example.com", "default")]
    [InlineData("", "default")]
    public void OnTheDefaultListenersAClaimedHostIsRoutedInItsFrontendsTableOnly(string host, string expected)
    {
        var routes = new FrontendRoutes<string>(Web,
        [
            new("mobile", false, ["m.example.com"], Mobile),
            new("tenants", false, ["*.tenants.example.com"], Tenants),
            new("partners", false, ["vip.tenants.example.com"], Partners),
        ]);

        var table = routes.For(0, Encoding.ASCII.GetBytes(host));

        Assert.Same(expected switch { "mobile" => Mobile, "tenants" => Tenants, "partners" => Partners, _ => Web }, table);
    }

    [Fact]
    public void AFrontendWithListenersAndHostsServesOnlyItsHostsThere()
    {
        var routes = new FrontendRoutes<string>(Web, [new("mobile", true, ["m.example.com"], Mobile)]);
        var mobile = routes.ListenerOf("mobile");

        routes.For(mobile, "m.example.com"u8).AssertMatches("mobile-profile", "GET", "/profile/7", "m.example.com");
        routes.For(mobile, "api.example.com"u8).AssertNotFound("GET", "/profile/7", "api.example.com");
        routes.For(mobile, "api.example.com"u8).AssertNotFound("GET", "/users/7", "api.example.com");
        Assert.Same(Web, routes.For(0, "m.example.com"u8));
    }

    [Fact]
    public void AHostGivenTwiceIsRefused() =>
        Assert.Throws<ArgumentException>(() => new FrontendRoutes<string>(Web,
            [new("mobile", false, ["m.example.com"], Mobile), new("partners", false, ["M.example.com"], Partners)]));

    [Fact]
    public void ChoosingATableAllocatesNothing()
    {
        var routes = new FrontendRoutes<string>(Web, [new("mobile", false, ["m.example.com", "*.m.example.com"], Mobile), new("partners", true, [], Partners)]);
        var hosts = new[] { "m.example.com"u8.ToArray(), "a.m.example.com"u8.ToArray(), "api.example.com"u8.ToArray() };
        var partners = routes.ListenerOf("partners");
        Choose(routes, hosts, partners);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var chosen = 0;
        for (var round = 0; round < 10_000; round++)
        {
            chosen += Choose(routes, hosts, partners);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(30_000, chosen);
    }

    private static int Choose(FrontendRoutes<string> routes, byte[][] hosts, int partners)
    {
        var chosen = 0;
        foreach (var host in hosts)
        {
            chosen += routes.For(0, host) == Mobile ? 1 : 0;
        }

        return chosen + (routes.For(partners, hosts[2]) == Partners ? 1 : 0);
    }

    private static FrontendSpec<string> Frontend(string name, bool listens, params string[] hosts) => new(name, listens, hosts, Table());
}
