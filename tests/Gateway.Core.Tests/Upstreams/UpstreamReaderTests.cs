using System.Buffers;
using System.IO.Pipelines;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>
/// The upstream connection's reader: it hands out everything received, keeps what was not consumed, grows past its 8 KiB
/// start for long heads, and reports the end. The read it posts while the connection is idle becomes the next response's
/// read, and cuts the connection when it ends while idle or when a request gives up waiting on it.
/// </summary>
public sealed class UpstreamReaderTests
{
    [Fact]
    public async Task ByteByByteInputIsGatheredUntilTheCallerHasEnoughAndTheEndIsReported()
    {
        var message = new byte[20_000];
        Random.Shared.NextBytes(message);
        var reader = new UpstreamReader(new TricklingStream(message), static () => { });
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
        var reader = new UpstreamReader(new MemoryStream("response|stray"u8.ToArray()), static () => { });

        var first = await reader.ReadAsync();
        reader.AdvanceTo(first.Buffer.GetPosition(9));

        Assert.True(reader.TryRead(out var rest));
        Assert.Equal("stray"u8.ToArray(), rest.Buffer.ToArray());
    }

    [Fact]
    public async Task ReadPostedWhileIdleBecomesTheReadOfTheNextResponse()
    {
        var wire = new Pipe();
        var aborts = 0;
        var reader = new UpstreamReader(wire.Reader.AsStream(), () => aborts++);

        reader.ReadAhead();
        Assert.True(reader.TryTakeIdle());
        var read = reader.ReadAsync(CancellationToken.None);
        Assert.False(read.IsCompleted);
        await wire.Writer.WriteAsync("HTTP/1.1 200 OK\r\n"u8.ToArray());
        var result = await read;

        Assert.Equal("HTTP/1.1 200 OK\r\n"u8.ToArray(), result.Buffer.ToArray());
        Assert.Equal(0, aborts);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadPostedWhileIdleThatEndsCutsTheConnectionAndItIsNotTaken(bool upstreamSendsBytes)
    {
        var wire = new Pipe();
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = new UpstreamReader(wire.Reader.AsStream(), () => aborted.TrySetResult());

        reader.ReadAhead();
        if (upstreamSendsBytes)
        {
            await wire.Writer.WriteAsync("HTTP/1.1 200 OK\r\n"u8.ToArray());
        }
        else
        {
            await wire.Writer.CompleteAsync();
        }

        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(reader.TryTakeIdle());
    }

    [Fact]
    public async Task GivingUpOnTheReadPostedWhileIdleCutsTheConnection()
    {
        var wire = new Pipe();
        var reader = new UpstreamReader(wire.Reader.AsStream(), () => wire.Writer.Complete(new IOException("cut")));
        using var deadline = new CancellationTokenSource();

        reader.ReadAhead();
        Assert.True(reader.TryTakeIdle());
        var read = reader.ReadAsync(deadline.Token);
        await deadline.CancelAsync();

        await Assert.ThrowsAsync<IOException>(async () => await read);
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
