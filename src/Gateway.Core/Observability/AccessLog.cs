using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway.Core.Observability;

/// <summary>
/// The access log: each sampled request is formatted on its connection straight into the current batch, and a writer
/// thread of its own swaps batches and writes the full one to stdout or a file every 100 ms, or as soon as the batch
/// holds 64 KiB, so under load a batch stays small instead of holding 100 ms of lines. The two batch buffers keep their
/// capacity, so logging allocates nothing per line. A batch that already holds the queue's capacity of lines drops the
/// line (counted) instead of blocking a request.
/// </summary>
public sealed class AccessLog : IAsyncDisposable
{
    private static readonly TimeSpan DefaultFlushInterval = TimeSpan.FromMilliseconds(100);
    /// <summary>A batch this large is written at once; its buffer has room for lines that arrive before the writer takes it.</summary>
    private const int FullBatchBytes = 64 * 1024;
    private const int BatchCapacity = 96 * 1024;
    /// <summary>How the JSON lines are written: the relaxed encoder (paths keep their characters) and no structure checks.</summary>
    internal static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly AccessLogSettings _settings;
    private readonly TimeSpan _flushInterval;
    private readonly Stream _output;
    private readonly GatewayMetrics? _metrics;
    private readonly Lock _gate = new();
    private readonly Utf8JsonWriter _json;
    /// <summary>Set when a batch is full or the log is disposed; never disposed itself, since a request ending during disposal may still set it.</summary>
    private readonly AutoResetEvent _wake = new(false);
    private readonly TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;
    private ArrayBufferWriter<byte> _filling = new(BatchCapacity);
    private ArrayBufferWriter<byte> _draining = new(BatchCapacity);
    private int _lines;
    private bool _writerWoken;
    private bool _closed;
    private long _dropped;

    private AccessLog(AccessLogSettings settings, Stream output, GatewayMetrics? metrics, TimeSpan flushInterval)
    {
        _settings = settings;
        _flushInterval = flushInterval;
        _output = output;
        _metrics = metrics;
        _json = new Utf8JsonWriter(_filling, JsonOptions);
        new Thread(WriteBatches) { IsBackground = true, Name = "Gateway access log" }.Start();
    }

    /// <summary>Lines dropped because the batch was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The log <paramref name="settings"/> ask for, or null when it is off.</summary>
    public static AccessLog? Create(AccessLogSettings settings, GatewayMetrics? metrics) => Create(settings, metrics, DefaultFlushInterval);

    /// <summary>As <see cref="Create(AccessLogSettings, GatewayMetrics?)"/>, writing batches every <paramref name="flushInterval"/>.</summary>
    internal static AccessLog? Create(AccessLogSettings settings, GatewayMetrics? metrics, TimeSpan flushInterval)
    {
        if (settings.IsOff)
        {
            return null;
        }

        var output = settings.Target.Equals("stdout", StringComparison.OrdinalIgnoreCase)
            ? Console.OpenStandardOutput()
            : new FileStream(settings.Target, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1, useAsync: false);
        return new AccessLog(settings, output, metrics, flushInterval);
    }

    /// <summary>True when this request is to be logged (sampling).</summary>
    public bool Sample() => _settings.SampleRate >= 1 || Random.Shared.NextDouble() < _settings.SampleRate;

    /// <summary>Formats <paramref name="record"/> into the current batch; never blocks on the output.</summary>
    internal void Write(scoped in AccessLogRecord record)
    {
        if (AppendLine(record))
        {
            _wake.Set();
        }
    }

    /// <summary>Adds the line to the current batch; true when that made the batch full and the writer is to be woken.</summary>
    private bool AppendLine(scoped in AccessLogRecord record)
    {
        lock (_gate)
        {
            if (_lines >= _settings.QueueCapacity || _closed)
            {
                Interlocked.Increment(ref _dropped);
                _metrics?.AccessLogDropped.Inc();
                return false;
            }

            if (_settings.Format == AccessLogFormat.Json)
            {
                if (!PlainJsonLine.TryWrite(_filling, record))
                {
                    _json.Reset(_filling);
                    AccessLogFormatter.WriteJson(_json, record);
                    _json.Flush();
                }
            }
            else
            {
                AccessLogFormatter.WriteCommon(_filling, record);
            }

            _filling.Write("\n"u8);
            _lines++;
            if (_filling.WrittenCount < FullBatchBytes || _writerWoken)
            {
                return false;
            }

            _writerWoken = true;
            return true;
        }
    }

    /// <summary>Writes what is batched, then closes the output.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        _wake.Set();
        await _written.Task.ConfigureAwait(false);
        await _output.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Every flush interval (100 ms), or when a batch is full, takes the batch that filled meanwhile and writes it in one
    /// go, instead of being woken per line: waking a writer for every request would cost each request a thread switch.
    /// The writer is a thread of its own waiting on an event, not a thread-pool task: a pool worker that finished a batch
    /// spins before it sleeps (tens of <c>sched_yield</c> calls per batch, on the core the connections need).
    /// </summary>
    private void WriteBatches()
    {
        var stopping = false;
        while (!stopping)
        {
            _wake.WaitOne(_flushInterval);
            stopping = _stopping;
            var batch = TakeBatch(close: stopping);
            if (batch.WrittenCount == 0)
            {
                continue;
            }

            try
            {
                _output.Write(batch.WrittenSpan);
                _output.Flush();
            }
            catch (IOException)
            {
                // A closed stdout or a full disk must not take the gateway down; the batch is lost.
            }

            batch.ResetWrittenCount();
        }

        _written.SetResult();
    }

    /// <summary>Swaps the batches: requests go on filling the empty one while the full one is written.</summary>
    private ArrayBufferWriter<byte> TakeBatch(bool close)
    {
        lock (_gate)
        {
            (_filling, _draining) = (_draining, _filling);
            _lines = 0;
            _writerWoken = false;
            _closed = close;
            return _draining;
        }
    }
}
