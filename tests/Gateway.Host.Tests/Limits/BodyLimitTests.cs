using System.Text;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Limits;

/// <summary>Bodies over the gateway's maximum get 413, whether declared by Content-Length or discovered while a chunked body streams.</summary>
public sealed class BodyLimitTests
{
    private const int Limit = 1000;

    [Fact]
    public async Task DeclaredContentLengthOverTheLimitIs413BeforeAnythingIsForwarded()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url), l => l with { MaxRequestBodyBytes = Limit });
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync($"POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: {Limit + 1}\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        Problem.AssertIs(413, response);
        Assert.True(response.ConnectionHas("close"));
        Assert.True(await connection.WaitForCloseAsync(), "the gateway should close instead of reading the refused body");
        Assert.Equal(0, upstream.Arrivals);
    }

    [Fact]
    public async Task BodyAtTheLimitIsAccepted()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url), l => l with { MaxRequestBodyBytes = Limit });

        var response = await gateway.SendAsync($"POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: {Limit}\r\n\r\n{new string('x', Limit)}");

        Assert.Equal(200, response.Status);
        Assert.Equal(Limit, Assert.Single(upstream.Requests).BodyLength);
    }

    [Fact]
    public async Task ChunkedBodyThatGrowsOverTheLimitIs413()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url), l => l with { MaxRequestBodyBytes = Limit });
        await using var connection = await gateway.ConnectAsync();
        var chunks = new StringBuilder();
        for (var i = 0; i < 11; i++)
        {
            chunks.Append("64\r\n").Append('y', 100).Append("\r\n");
        }

        await connection.SendAsync($"POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n{chunks}0\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        Problem.AssertIs(413, response);
        Assert.True(await connection.WaitForCloseAsync(), "the gateway should close after refusing the body");
        Assert.Empty(upstream.Requests);
    }
}
