using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.ObjectPool;

namespace Gateway.Core.Observability;

/// <summary>
/// The access log: each sampled request is formatted on its connection into a pooled line, queued, and written
/// by one background task to stdout or a file every 100 ms. A full queue drops the line (counted) instead of
/// blocking a request.
/// </summary>
public sealed class AccessLog : IAsyncDisposable
{
    private readonly AccessLogSettings _settings;
    private readonly Stream _output;
    private readonly GatewayMetrics? _metrics;
    private readonly Channel<AccessLogLine> _queue;
    private readonly ObjectPool<AccessLogLine> _lines = new DefaultObjectPool<AccessLogLine>(new AccessLogLine.Policy(), 1024);
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _writer;
    private long _dropped;

    private AccessLog(AccessLogSettings settings, Stream output, GatewayMetrics? metrics)
    {
        _settings = settings;
        _output = output;
        _metrics = metrics;
        _queue = Channel.CreateBounded<AccessLogLine>(new BoundedChannelOptions(settings.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(WriteLinesAsync);
    }

    /// <summary>Lines dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The log <paramref name="settings"/> ask for, or null when it is off.</summary>
    public static AccessLog? Create(AccessLogSettings settings, GatewayMetrics? metrics)
    {
        if (settings.IsOff)
        {
            return null;
        }

        var output = settings.Target.Equals("stdout", StringComparison.OrdinalIgnoreCase)
            ? Console.OpenStandardOutput()
            : new FileStream(settings.Target, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1, useAsync: false);
        return new AccessLog(settings, new BufferedStream(output, 64 * 1024), metrics);
    }

    /// <summary>True when this request is to be logged (sampling).</summary>
    public bool Sample() => _settings.SampleRate >= 1 || Random.Shared.NextDouble() < _settings.SampleRate;

    /// <summary>Formats <paramref name="record"/> and queues it; never blocks.</summary>
    internal void Write(scoped in AccessLogRecord record)
    {
        var line = _lines.Get();
        if (_settings.Format == AccessLogFormat.Json)
        {
            AccessLogFormatter.WriteJson(line.Json, record);
            line.Json.Flush();
        }
        else
        {
            AccessLogFormatter.WriteCommon(line.Buffer, record);
        }

        line.Buffer.Write("\n"u8);
        if (!_queue.Writer.TryWrite(line))
        {
            _lines.Return(line);
            Interlocked.Increment(ref _dropped);
            _metrics?.AccessLogDropped.Inc();
        }
    }

    /// <summary>Writes what is queued, then closes the output.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _writer.ConfigureAwait(false);
        await _output.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>
    /// Writes what the queue holds every <see cref="FlushInterval"/>, instead of being woken per line: waking a
    /// reader for every request would cost each request a thread-pool hop.
    /// </summary>
    private async Task WriteLinesAsync()
    {
        var reader = _queue.Reader;
        while (true)
        {
            while (reader.TryRead(out var line))
            {
                try
                {
                    _output.Write(line.Buffer.WrittenSpan);
                }
                catch (IOException)
                {
                    // A closed stdout or a full disk must not take the gateway down; the line is lost.
                }

                _lines.Return(line);
            }

            try
            {
                await _output.FlushAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // As above.
            }

            if (reader.Completion.IsCompleted)
            {
                return;
            }

            try
            {
                await Task.Delay(FlushInterval, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Disposing: drain what is left and stop.
            }
        }
    }
}
