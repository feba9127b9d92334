using System.Text;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Limits;

/// <summary>Request heads over the configured limits get 414 (request line) or 431 (header fields), the connection closes, and nothing is forwarded.</summary>
public sealed class HeadLimitTests
{
    [Fact]
    public async Task RequestLineOverTheLimitIs414()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url), l => l with { MaxRequestLineBytes = 1024 });

        await AssertRefusedAsync(gateway, upstream, 414, $"GET /{new string('a', 1100)} HTTP/1.1\r\nHost: a\r\n\r\n");
    }

    [Fact]
    public async Task RequestLineWithinTheLimitIsForwarded()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url), l => l with { MaxRequestLineBytes = 1024 });
        var path = "/" + new string('a', 1000);

        var response = await gateway.SendAsync($"GET {path} HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal(path, Assert.Single(upstream.Requests).Target);
    }

    [Fact]
    public async Task TooManyHeaderFieldsIs431()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url), l => l with { MaxRequestHeaderCount = 10 });
        var fields = new StringBuilder("Host: a\r\n");
        for (var i = 0; i < 10; i++)
        {
            fields.Append("X-Field-").Append(i).Append(": v\r\n");
        }

        await AssertRefusedAsync(gateway, upstream, 431, $"GET / HTTP/1.1\r\n{fields}\r\n");
    }

    [Fact]
    public async Task HeaderFieldsOverTheByteLimitAre431()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url), l => l with { MaxRequestHeadersBytes = 1024 });

        await AssertRefusedAsync(gateway, upstream, 431, $"GET / HTTP/1.1\r\nHost: a\r\nCookie: {new string('c', 1100)}\r\n\r\n");
    }

    private static async Task AssertRefusedAsync(TestGateway gateway, RecordingUpstream upstream, int status, string request)
    {
        await using var connection = await gateway.ConnectAsync();
        await connection.SendAsync(request);
        var response = await connection.ReadResponseAsync();

        Problem.AssertIs(status, response);
        Assert.True(response.ConnectionHas("close"));
        Assert.True(await connection.WaitForCloseAsync(), "the gateway should close after refusing the head");
        Assert.Equal(0, upstream.Arrivals);
    }
}
