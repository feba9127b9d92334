using System.Text;
using Gateway.Core.Http;

namespace Gateway.Core.Tests.Http;

/// <summary>The one table of header rules: which fields pass toward the upstream, which pass back to the client, and which configuration may not touch.</summary>
public sealed class HeaderRulesTests
{
    [Theory]
    [InlineData("Connection")]
    [InlineData("keep-alive")]
    [InlineData("Proxy-Connection")]
    [InlineData("TE")]
    [InlineData("Upgrade")]
    [InlineData("Transfer-Encoding")]
    [InlineData("Trailer")]
    [InlineData("Proxy-Authorization")]
    [InlineData("proxy-authenticate")]
    public void HopByHopFieldsPassNeitherWay(string name)
    {
        var known = HeaderRules.Identify(Encoding.ASCII.GetBytes(name));

        Assert.True(HeaderRules.IsHopByHop(known));
        Assert.False(HeaderRules.ForwardsInRequest(known, trustedProxy: true));
        Assert.False(HeaderRules.RelaysInResponse(known));
        Assert.True(HeaderRules.IsGatewayOwned(Encoding.ASCII.GetBytes(name)));
    }

    [Theory]
    [InlineData("Host", true)]
    [InlineData("Content-Length", false)]
    [InlineData("Expect", true)]
    [InlineData("Via", false)]
    [InlineData("X-Forwarded-For", true)]
    [InlineData("X-Forwarded-Proto", true)]
    [InlineData("X-Forwarded-Host", true)]
    [InlineData("Forwarded", true)]
    [InlineData("X-Request-Id", false)]
    [InlineData("traceparent", true)]
    public void FieldsTheGatewayWritesInRequestsAreNeverForwardedAsSent(string name, bool relayedInResponses)
    {
        var known = HeaderRules.Identify(Encoding.ASCII.GetBytes(name));

        Assert.False(HeaderRules.IsHopByHop(known));
        Assert.False(HeaderRules.ForwardsInRequest(known, trustedProxy: true));
        Assert.Equal(relayedInResponses, HeaderRules.RelaysInResponse(known));
        Assert.True(HeaderRules.IsGatewayOwned(Encoding.ASCII.GetBytes(name)));
    }

    [Theory]
    [InlineData("X-Forwarded-Port")]
    [InlineData("x-forwarded-prefix")]
    [InlineData("X-Forwarded-Ssl")]
    public void OtherForwardingFieldsAreBelievedFromTrustedProxiesOnly(string name)
    {
        var known = HeaderRules.Identify(Encoding.ASCII.GetBytes(name));

        Assert.Equal(KnownHeader.XForwardedOther, known);
        Assert.False(HeaderRules.ForwardsInRequest(known, trustedProxy: false));
        Assert.True(HeaderRules.ForwardsInRequest(known, trustedProxy: true));
        Assert.True(HeaderRules.IsGatewayOwned(Encoding.ASCII.GetBytes(name)));
    }

    [Theory]
    [InlineData("Content-Type")]
    [InlineData("Authorization")]
    [InlineData("Server")]
    [InlineData("Set-Cookie")]
    [InlineData("X-Forwarded")]
    [InlineData("Access-Control-Request-Method")]
    public void EndToEndFieldsPassBothWaysAndAreTheConfigurationsToEdit(string name)
    {
        var known = HeaderRules.Identify(Encoding.ASCII.GetBytes(name));

        Assert.True(HeaderRules.ForwardsInRequest(known, trustedProxy: false));
        Assert.True(HeaderRules.RelaysInResponse(known));
        Assert.False(HeaderRules.IsGatewayOwned(Encoding.ASCII.GetBytes(name)));
    }
}
