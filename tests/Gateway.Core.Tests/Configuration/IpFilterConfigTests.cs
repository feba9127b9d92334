namespace Gateway.Core.Tests.Configuration;

/// <summary>An ipFilter, the gateway's or a route's, must name networks, each a CIDR network or an address; errors name the entry.</summary>
public sealed class IpFilterConfigTests
{
    [Theory]
    [InlineData("10.0.0.1/8")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/")]
    [InlineData("example.com")]
    [InlineData(" 10.0.0.1")]
    [InlineData("")]
    [InlineData("fe80::1%eth0")]
    [InlineData("::ffff:10.0.0.0/104")]
    [InlineData("::ffff:10.0.0.1")]
    public void AnEntryThatIsNoNetworkIsRefused(string entry)
    {
        ConfigAssert.ParseFails(Config(route: $$"""{ "allow": ["127.0.0.1", "{{entry}}"] }"""), "$.routes[0].policies.ipFilter.allow[1]", $"got \"{entry}\"");
        ConfigAssert.ParseFails(Config(gateway: $$"""{ "deny": ["{{entry}}"] }"""), "$.ipFilter.deny[0]", "expected a CIDR network");
    }

    [Fact]
    public void AFilterWithoutNetworksIsRefused()
    {
        ConfigAssert.ParseFails(Config(route: "{}"), "$.routes[0].policies.ipFilter", "name the networks to \"allow\" or \"deny\"");
        ConfigAssert.ParseFails(Config(gateway: """{ "allow": [] }"""), "$.ipFilter", "name the networks");
    }

    [Fact]
    public void NetworksAndAddressesOfBothFamiliesAreAccepted()
    {
        var config = Gateway.Core.Configuration.ConfigLoader.Parse(
            Config(route: """{ "allow": ["10.0.0.0/8", "192.0.2.7", "::1", "2001:db8::/32"], "deny": ["10.6.0.0/16"] }""", gateway: """{ "deny": ["203.0.113.0/24"] }"""), "test.json");

        Assert.Equal(4, config.Routes[0].Policies!.IpFilter!.Allow.Count);
        Assert.Equal(["203.0.113.0/24"], config.IpFilter!.Deny);
    }

    private static string Config(string? route = null, string? gateway = null) => $$"""
        {
          {{(gateway is null ? "" : $"\"ipFilter\": {gateway},")}}
          "routes": [ { "id": "r", "match": { "path": "/" }, "respond": { "status": 204 }{{(route is null ? "" : $", \"policies\": {{ \"ipFilter\": {route} }}")}} } ]
        }
        """;
}
