using System.Globalization;
using System.Text;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Forwarding;

/// <summary>Ten-megabyte bodies stream through the gateway in both directions without a byte changed.</summary>
public sealed class LargeBodyTests
{
    private const int Size = 10 * Payload.MiB;

    [Fact]
    public async Task TenMegabyteContentLengthUploadArrivesIntact()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        var body = Payload.Create(Size, seed: 1);
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync($"POST /hash HTTP/1.1\r\nHost: a\r\nContent-Length: {Size}\r\n\r\n");
        await connection.SendAsync(body);
        var response = await connection.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.Equal(Payload.Sha256(body), response.BodyText);
        Assert.Equal(Size, Assert.Single(upstream.Requests).BodyLength);
    }

    [Fact]
    public async Task TenMegabyteChunkedUploadArrivesIntact()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        var body = Payload.Create(Size, seed: 2);
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("POST /hash HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
        using (var framed = new MemoryStream())
        {
            // Uneven chunk sizes so chunk boundaries fall everywhere relative to the gateway's reads.
            for (int offset = 0, size = 1; offset < body.Length; offset += size, size = (size * 7 % 100_003) + 1)
            {
                size = Math.Min(size, body.Length - offset);
                framed.Write(Encoding.ASCII.GetBytes(size.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
                framed.Write(body, offset, size);
                framed.Write("\r\n"u8);
            }

            framed.Write("0\r\n\r\n"u8);
            await connection.SendAsync(framed.ToArray());
        }

        var response = await connection.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.Equal(Payload.Sha256(body), response.BodyText);
        Assert.Equal(Size, Assert.Single(upstream.Requests).BodyLength);
    }

    [Theory]
    [InlineData("bytes", nameof(BodyFraming.ContentLength))]
    [InlineData("stream", nameof(BodyFraming.Chunked))]
    public async Task TenMegabyteDownloadArrivesIntact(string behaviour, string framing)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var response = await gateway.SendAsync($"GET /{behaviour}/{Size} HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal(Enum.Parse<BodyFraming>(framing), response.Framing);
        Assert.Equal(Size, response.Body.Length);
        Assert.Equal(Payload.Sha256(Payload.Create(Size)), Payload.Sha256(response.Body));
    }
}
