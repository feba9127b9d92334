using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Forwarding;

/// <summary>Requests of the common methods reach the upstream with the method, path, query and body the client sent.</summary>
public sealed class MethodForwardingTests
{
    [Theory]
    [InlineData("GET", "")]
    [InlineData("DELETE", "")]
    [InlineData("POST", "{\"name\":\"widget\",\"size\":2}")]
    [InlineData("PUT", "name=widget&size=3")]
    public async Task MethodPathQueryAndBodyReachTheUpstreamAsSent(string method, string body)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        var framing = body.Length == 0 ? "" : $"Content-Type: text/plain\r\nContent-Length: {body.Length}\r\n";

        var response = await gateway.SendAsync($"{method} /items/42?color=red&size=a%20b HTTP/1.1\r\nHost: shop.test\r\n{framing}\r\n{body}");

        Assert.Equal(200, response.Status);
        Assert.Equal($"upstream {method} /items/42?color=red&size=a%20b", response.BodyText);
        var seen = Assert.Single(upstream.Requests);
        Assert.Equal(method, seen.Method);
        Assert.Equal("/items/42?color=red&size=a%20b", seen.Target);
        Assert.Equal(body, seen.BodyText);
        Assert.Null(seen.Header("Transfer-Encoding"));
        if (body.Length == 0)
        {
            Assert.Null(seen.Header("Content-Length"));
        }
        else
        {
            Assert.Equal(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), seen.Header("Content-Length"));
            Assert.Equal("text/plain", seen.Header("Content-Type"));
        }
    }
}
