using System.Net;
using Gateway.Core.Pipeline;

namespace Gateway.Core.Tests.Pipeline;

/// <summary>The real client behind trusted proxies: X-Forwarded-For walked from the right to the first untrusted address.</summary>
public sealed class ClientAddressTests
{
    private static readonly IPNetwork[] Trusted = [IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("2001:db8::/32")];

    [Theory]
    [InlineData("10.0.0.1", "", "10.0.0.1")] // a trusted peer that forwards nothing is the client
    [InlineData("10.0.0.1", "X-Forwarded-For: 203.0.113.9\r\n", "203.0.113.9")]
    [InlineData("10.0.0.1", "X-Forwarded-For: 198.51.100.1, 203.0.113.9\r\n", "203.0.113.9")] // the leftmost is the client's own claim
    [InlineData("10.0.0.1", "X-Forwarded-For: 203.0.113.9, 10.2.2.2\r\n", "203.0.113.9")]
    [InlineData("10.0.0.1", "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-For: 10.2.2.2, 10.3.3.3\r\n", "203.0.113.9")]
    [InlineData("10.0.0.1", "X-Forwarded-For: 10.2.2.2, 10.3.3.3\r\n", "10.2.2.2")] // every hop trusted: the farthest one
    [InlineData("10.0.0.1", "X-Forwarded-For: 203.0.113.9:4711\r\n", "203.0.113.9")]
    [InlineData("10.0.0.1", "X-Forwarded-For: [2001:db8::5]:443, [2001:db9::1]\r\n", "2001:db9::1")]
    [InlineData("10.0.0.1", "X-Forwarded-For: ::ffff:203.0.113.9\r\n", "203.0.113.9")]
    [InlineData("10.0.0.1", "X-Forwarded-For: unknown, 10.2.2.2\r\n", "10.2.2.2")] // nothing left of garbage is vouched for
    [InlineData("10.0.0.1", "X-Forwarded-For: 203.0.113.9, garbage\r\n", "10.0.0.1")]
    [InlineData("10.0.0.1", "X-Forwarded-For: , 203.0.113.9,\r\n", "203.0.113.9")]
    public void TheClientIsTheFirstUntrustedAddressFromTheRight(string peer, string fields, string client)
    {
        var context = new RequestContext(new ClientInfo(peer, "http", TrustedProxy: true), Trusted);

        context.Begin(TestContexts.Head("GET / HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n"), 0);

        Assert.Equal(client, context.ClientAddress);
    }

    [Fact]
    public void AnUntrustedPeersForwardingFieldsAreNotRead()
    {
        var context = new RequestContext(new ClientInfo("192.0.2.7", "http"), Trusted);

        context.Begin(TestContexts.Head("GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n"), 0);

        Assert.Equal("192.0.2.7", context.ClientAddress);
    }
}
