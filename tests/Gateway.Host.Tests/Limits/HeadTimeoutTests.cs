using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Limits;

/// <summary>A request head that does not complete within RequestHeadersTimeout gets 408 and the connection closes (the slowloris defence).</summary>
public sealed class HeadTimeoutTests
{
    [Fact]
    public async Task PartialHeadPastTheDeadlineIs408()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url), l => l with { RequestHeadersTimeout = TimeSpan.FromSeconds(1) });
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("GET /slow HTTP/1.1\r\nHost: a\r\nX-Partial: ");
        var response = await connection.ReadResponseAsync();

        Problem.AssertIs(408, response);
        Assert.True(response.ConnectionHas("close"));
        Assert.True(await connection.WaitForCloseAsync(), "the gateway should close after the head timeout");
        Assert.Equal(0, upstream.Arrivals);
    }

    [Fact]
    public async Task TricklingHeaderBytesDoNotExtendTheDeadline()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url), l => l with { RequestHeadersTimeout = TimeSpan.FromSeconds(1) });
        await using var connection = await gateway.ConnectAsync();
        await connection.SendAsync("GET /slow HTTP/1.1\r\nHost: a\r\n");

        // Keep sending header lines as a slowloris client would; the deadline counts from the first byte, so 408 still comes.
        var answered = connection.ReadResponseAsync();
        for (var i = 0; !answered.IsCompleted; i++)
        {
            try
            {
                await connection.SendAsync($"X-Drip-{i}: 1\r\n");
            }
            catch (IOException)
            {
                break;
            }

            await Task.WhenAny(answered, Task.Delay(100));
        }

        Problem.AssertIs(408, await answered);
        Assert.Equal(0, upstream.Arrivals);
    }

    [Fact]
    public async Task ConnectionThatNeverSendsIsClosedWithoutAResponse()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url), l => l with { RequestHeadersTimeout = TimeSpan.FromSeconds(1) });
        await using var connection = await gateway.ConnectAsync();

        Assert.True(await connection.WaitForCloseAsync(), "the gateway should close a silent connection without writing anything");
    }
}
