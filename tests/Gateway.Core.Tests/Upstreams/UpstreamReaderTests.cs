using System.Buffers;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>The upstream connection's reader: it hands out everything received, keeps what was not consumed, grows past its 8 KiB start for long heads, and reports the end.</summary>
public sealed class UpstreamReaderTests
{
    [Fact]
    public async Task ByteByByteInputIsGatheredUntilTheCallerHasEnoughAndTheEndIsReported()
    {
        var message = new byte[20_000];
        Random.Shared.NextBytes(message);
        var reader = new UpstreamReader(new TricklingStream(message));
        var received = new List<byte>();

        while (true)
        {
            var result = await reader.ReadAsync();
            if (result.Buffer.Length >= 12_000 || result.IsCompleted)
            {
                received.AddRange(result.Buffer.ToArray());
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }

                continue;
            }

            // Not enough yet: consume nothing, examine everything, as a parser waiting for a whole head does.
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }

        Assert.Equal(message, received);
    }

    [Fact]
    public async Task UnexaminedBytesAreReturnedWithoutReadingAgainAndShowAsStray()
    {
        var reader = new UpstreamReader(new MemoryStream("response|stray"u8.ToArray()));

        var first = await reader.ReadAsync();
        reader.AdvanceTo(first.Buffer.GetPosition(9));

        Assert.True(reader.TryRead(out var rest));
        Assert.Equal("stray"u8.ToArray(), rest.Buffer.ToArray());
    }

    /// <summary>A stream that gives one byte per read, completing every other read asynchronously.</summary>
    private sealed class TricklingStream(byte[] data) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position % 2 == 1)
            {
                await Task.Yield();
            }

            if (_position == data.Length)
            {
                return 0;
            }

            buffer.Span[0] = data[_position++];
            return 1;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
