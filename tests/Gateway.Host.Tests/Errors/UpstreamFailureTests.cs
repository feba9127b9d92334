using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Errors;

/// <summary>
/// Upstream failures become problem responses: 502 when the upstream cannot be reached or hangs up, 504 when it is too slow.
/// The client's connection stays open when the whole request was read, and closes when some of its body was not.
/// </summary>
public sealed class UpstreamFailureTests
{
    [Fact]
    public async Task ClosedUpstreamPortIs502()
    {
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll($"http://127.0.0.1:{Ports.Free()}"));

        var response = await gateway.SendAsync("GET /anything HTTP/1.1\r\nHost: a\r\n\r\n");

        Problem.AssertIs(502, response);
    }

    [Fact]
    public async Task UpstreamThatHangsUpWithoutAnsweringIs502()
    {
        await using var upstream = WireUpstream.Start(response: null);
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var response = await gateway.SendAsync("GET /anything HTTP/1.1\r\nHost: a\r\n\r\n");

        Problem.AssertIs(502, response);
        Assert.All(upstream.Requests, r => Assert.StartsWith("GET /anything HTTP/1.1\r\n", r.Head, StringComparison.Ordinal));
        Assert.NotEmpty(upstream.Requests);
    }

    [Fact]
    public async Task UpstreamSlowerThanTheClusterTimeoutIs504AndIsCancelled()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url, timeout: "1s"));

        var response = await gateway.SendAsync("GET /hold HTTP/1.1\r\nHost: a\r\n\r\n");

        Problem.AssertIs(504, response);
        Assert.Equal("/hold", await Wait.ForAsync(upstream.Aborted, "the upstream to see its request cancelled"));
    }

    [Fact]
    public async Task AFailedExchangeKeepsTheClientsConnectionWhenTheWholeRequestWasRead()
    {
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll($"http://127.0.0.1:{Ports.Free()}"));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("GET /one HTTP/1.1\r\nHost: a\r\n\r\n");
        var first = await connection.ReadResponseAsync();
        await connection.SendAsync("POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
        var second = await connection.ReadResponseAsync();

        Problem.AssertIs(502, first);
        Assert.False(first.ConnectionHas("close"));
        Problem.AssertIs(502, second);
    }

    [Fact]
    public async Task AFailedExchangeClosesTheClientsConnectionWhenPartOfTheBodyWasNotRead()
    {
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll($"http://127.0.0.1:{Ports.Free()}"));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nonly part");
        var response = await connection.ReadResponseAsync();

        Problem.AssertIs(502, response);
        Assert.True(response.ConnectionHas("close"));
        Assert.True(await connection.WaitForCloseAsync());
    }
}
