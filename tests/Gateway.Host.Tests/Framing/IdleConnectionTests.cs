using System.Text;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Framing;

/// <summary>
/// A connection gives its request buffers back while it waits for its next request: what it serves next must be exactly
/// that request, whatever the one before it was, on one connection or on many idle ones at once.
/// </summary>
public sealed class IdleConnectionTests
{
    [Fact]
    public async Task AConnectionIdleAfterALargeRequestServesASmallOneExactly()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        await using var connection = await gateway.ConnectAsync();
        var large = new StringBuilder($"GET /large/{new string('p', 3000)} HTTP/1.1\r\nHost: a\r\n");
        for (var i = 0; i < 40; i++)
        {
            large.Append($"X-Large-{i}: {new string('v', 100)}\r\n");
        }

        await connection.SendAsync(large.Append("\r\n").ToString());
        var first = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /hop HTTP/1.1\r\nHost: a\r\nX-Second: 2\r\n\r\n");
        var second = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /small?q=3 HTTP/1.1\r\nHost: a\r\n\r\n");
        var third = await connection.ReadResponseAsync();

        Assert.Equal(200, first.Status);
        Assert.Equal("kept", second.Header("X-End-To-End"));
        Assert.Null(second.Header("X-Hop-Secret"));
        Assert.Equal("upstream GET /small?q=3", third.BodyText);
        Assert.Equal(3, upstream.Requests.Count);
        Assert.Equal("/hop", upstream.Requests[1].Target);
        Assert.Equal("2", upstream.Requests[1].Header("X-Second"));
        Assert.Null(upstream.Requests[1].Header("X-Large-0"));
        Assert.Null(upstream.Requests[2].Header("X-Second"));
    }

    [Fact]
    public async Task ManyIdleConnectionsEachServeTheirNextRequest()
    {
        const int Connections = 40;
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        var connections = new List<RawConnection>();
        try
        {
            for (var i = 0; i < Connections; i++)
            {
                var connection = await gateway.ConnectAsync();
                connections.Add(connection);
                await connection.SendAsync($"GET /first/{i} HTTP/1.1\r\nHost: a\r\n\r\n");
                Assert.Equal($"upstream GET /first/{i}", (await connection.ReadResponseAsync()).BodyText);
            }

            await Task.WhenAll(connections.Select((c, i) => c.SendAsync($"GET /second/{i} HTTP/1.1\r\nHost: a\r\nX-Index: {i}\r\n\r\n")));
            var answers = await Task.WhenAll(connections.Select(c => c.ReadResponseAsync()));

            Assert.Equal(Enumerable.Range(0, Connections).Select(i => $"upstream GET /second/{i}"), answers.Select(a => a.BodyText));
            Assert.All(upstream.Requests.Where(r => r.Target.StartsWith("/second/", StringComparison.Ordinal)),
                r => Assert.Equal(r.Target["/second/".Length..], r.Header("X-Index")));
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
