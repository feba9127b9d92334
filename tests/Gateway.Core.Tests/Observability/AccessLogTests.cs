using System.Text.Json;
using Gateway.Core.Observability;
using Gateway.Core.Tests.Upstreams;

namespace Gateway.Core.Tests.Observability;

/// <summary>The access log writes batched lines to its file off the request path, drops what overflows a batch, and is absent when switched off.</summary>
public sealed class AccessLogTests
{
    [Fact]
    public async Task LinesReachTheFileAsJson()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gateway-access-{Guid.NewGuid():N}.log");
        try
        {
            var log = AccessLog.Create(new AccessLogSettings { Target = path }, metrics: null)!;
            for (var i = 0; i < 3; i++)
            {
                log.Write(new AccessLogRecord { ClientAddress = "127.0.0.1", Method = "GET"u8, Path = "/x"u8, Status = 200 + i, Protocol = "HTTP/1.1"u8 });
            }

            await log.DisposeAsync();

            var lines = await File.ReadAllLinesAsync(path);
            Assert.Equal([200, 201, 202], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("status").GetInt32()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task LinesBeyondTheQueueCapacityAreDroppedAndCountedWithoutBlocking()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gateway-access-{Guid.NewGuid():N}.log");
        try
        {
            // The writer never wakes on its own during the test: only disposal writes the batch.
            var log = AccessLog.Create(new AccessLogSettings { Target = path, QueueCapacity = 3 }, metrics: null, TimeSpan.FromHours(1))!;
            for (var i = 0; i < 5; i++)
            {
                log.Write(new AccessLogRecord { ClientAddress = "127.0.0.1", Method = "GET"u8, Path = "/x"u8, Status = 200 + i, Protocol = "HTTP/1.1"u8 });
            }

            Assert.Equal(2, log.Dropped);
            await log.DisposeAsync();

            var lines = await File.ReadAllLinesAsync(path);
            Assert.Equal([200, 201, 202], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("status").GetInt32()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task AFullBatchIsWrittenWithoutWaitingForTheInterval()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gateway-access-{Guid.NewGuid():N}.log");
        try
        {
            // The interval never passes during the test: only a full batch (64 KiB) wakes the writer.
            var log = AccessLog.Create(new AccessLogSettings { Target = path }, metrics: null, TimeSpan.FromHours(1))!;
            var longPath = new byte[1000];
            Array.Fill(longPath, (byte)'a');
            const int lines = 70;
            for (var i = 0; i < lines; i++)
            {
                log.Write(new AccessLogRecord { ClientAddress = "127.0.0.1", Method = "GET"u8, Path = longPath, Status = 200, Protocol = "HTTP/1.1"u8 });
            }

            await Poll.UntilAsync(() => new FileInfo(path).Length >= 64 * 1024, "a full batch to be written before the interval");
            await log.DisposeAsync();
            Assert.Equal(lines, (await File.ReadAllLinesAsync(path)).Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("off", 1.0)]
    [InlineData("stdout", 0.0)]
    public void SwitchedOffLogIsNotCreated(string target, double sampleRate) =>
        Assert.Null(AccessLog.Create(new AccessLogSettings { Target = target, SampleRate = sampleRate }, metrics: null));
}
