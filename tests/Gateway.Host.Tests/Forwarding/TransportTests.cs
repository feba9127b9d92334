using Gateway.Core.Sockets;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Forwarding;

/// <summary>
/// Both transports (the gateway's epoll loops, the default on Linux, and .NET's sockets) carry bodies both ways on a kept
/// client connection; every other test runs on the default one.
/// </summary>
public sealed class TransportTests
{
    private const int Size = Payload.MiB;

    [Theory]
    [InlineData(TransportKind.Epoll)]
    [InlineData(TransportKind.Sockets)]
    public async Task UploadsAndDownloadsFollowEachOtherOnOneKeptConnection(TransportKind transport)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url), settings => settings with
        {
            Transport = settings.Transport with { Kind = transport },
            UpstreamDefaults = settings.UpstreamDefaults with { Transport = transport },
        });
        var body = Payload.Create(Size, seed: 3);
        await using var connection = await gateway.ConnectAsync();

        for (var i = 0; i < 3; i++)
        {
            await connection.SendAsync($"POST /hash HTTP/1.1\r\nHost: a\r\nContent-Length: {Size}\r\n\r\n");
            await connection.SendAsync(body);
            var upload = await connection.ReadResponseAsync();
            await connection.SendAsync($"GET /stream/{Size} HTTP/1.1\r\nHost: a\r\n\r\n");
            var download = await connection.ReadResponseAsync();

            Assert.Equal(200, upload.Status);
            Assert.Equal(Payload.Sha256(body), upload.BodyText);
            Assert.Equal(Payload.Sha256(Payload.Create(Size)), Payload.Sha256(download.Body));
        }

        Assert.Equal(6, upstream.Requests.Count);
    }
}
