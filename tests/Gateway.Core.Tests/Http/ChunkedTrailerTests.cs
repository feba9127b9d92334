using System.Buffers;
using System.Text;
using Gateway.Core.Http;

namespace Gateway.Core.Tests.Http;

/// <summary>A chunked decoder that keeps trailers (the HTTP/2 front's relay of an answer) hands back exactly the trailer field lines, whole or a byte at a time.</summary>
public sealed class ChunkedTrailerTests
{
    [Theory]
    [InlineData("5\r\nhello\r\n0\r\ngrpc-status: 0\r\ngrpc-message: ok%20then\r\n\r\n", "grpc-status: 0\r\ngrpc-message: ok%20then\r\n")]
    [InlineData("0\r\nx-checksum:4\r\n\r\n", "x-checksum:4\r\n")]
    [InlineData("5\r\nhello\r\n0\r\n\r\n", "")]
    public void KeptTrailersAreTheFieldLines(string body, string trailers)
    {
        Assert.Equal(trailers, Decode(Encoding.Latin1.GetBytes(body), byteAtATime: false));
        Assert.Equal(trailers, Decode(Encoding.Latin1.GetBytes(body), byteAtATime: true));
    }

    [Fact]
    public void AResetForgetsTheLastBodysTrailers()
    {
        var decoder = new ChunkedDecoder { KeepTrailers = true };
        Run(decoder, "0\r\na: 1\r\n\r\n"u8.ToArray());
        Run(decoder, "0\r\n\r\n"u8.ToArray());

        Assert.True(decoder.Trailers.IsEmpty);
    }

    [Fact]
    public void ADecoderThatDoesNotKeepTrailersKeepsNone()
    {
        var decoder = new ChunkedDecoder();
        Assert.Equal(ChunkStatus.Done, Run(decoder, "0\r\na: 1\r\n\r\n"u8.ToArray()));
        Assert.True(decoder.Trailers.IsEmpty);
    }

    private static string Decode(byte[] body, bool byteAtATime)
    {
        var decoder = new ChunkedDecoder { KeepTrailers = true };
        decoder.Reset();
        var status = ChunkStatus.NeedMore;
        var pending = new List<byte>();
        for (var i = 0; i < body.Length && status != ChunkStatus.Done; i += byteAtATime ? 1 : body.Length)
        {
            pending.AddRange(body.Skip(i).Take(byteAtATime ? 1 : body.Length));
            var buffer = new ReadOnlySequence<byte>(pending.ToArray());
            do
            {
                status = decoder.Next(ref buffer, out _);
            }
            while (status == ChunkStatus.Data);
            pending = [.. buffer.ToArray()];
        }

        Assert.Equal(ChunkStatus.Done, status);
        return Encoding.Latin1.GetString(decoder.Trailers);
    }

    private static ChunkStatus Run(ChunkedDecoder decoder, byte[] body)
    {
        decoder.Reset();
        var buffer = new ReadOnlySequence<byte>(body);
        ChunkStatus status;
        do
        {
            status = decoder.Next(ref buffer, out _);
        }
        while (status == ChunkStatus.Data);
        return status;
    }
}
