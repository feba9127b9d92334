using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Gateway.Core.Configuration;
using Gateway.Core.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Host.Transport;

/// <summary>
/// One accepted client connection of the readiness transport, as Kestrel sees it: a pipe filled by a receive loop that takes a
/// buffer only once epoll reported bytes (an idle connection holds none), and a writer whose flushes go straight to the
/// socket (<see cref="ReadinessSocketWriter"/>).
/// </summary>
internal sealed class ReadinessConnection : ConnectionContext, IConnectionIdFeature, IConnectionTransportFeature, IConnectionItemsFeature,
    IConnectionLifetimeFeature, IConnectionEndPointFeature, IMemoryPoolFeature
{
    /// <summary>The least room a receive asks the pipe for.</summary>
    private const int MinReceiveBuffer = 4096;

    private static long _lastId;

    private readonly ReadinessSocket _socket;
    private readonly Pipe _input;
    private readonly ReadinessSocketWriter _output;
    // Never disposed: it has no timer, and its cancellation is queued from the receive loop, which may run after disposal.
    private readonly CancellationTokenSource _closed = new();
    private Task _receiving = Task.CompletedTask;
    private IDictionary<object, object?>? _items;
    private string? _id;

    public ReadinessConnection(ReadinessSocket socket, MemoryPool<byte> pool, TransportSettings settings)
    {
        _socket = socket;
        MemoryPool = pool;
        LocalEndPoint = socket.LocalEndPoint;
        RemoteEndPoint = socket.RemoteEndPoint;
        var applicationScheduler = settings.InlineScheduling ? PipeScheduler.Inline : PipeScheduler.ThreadPool;
        _input = new Pipe(new PipeOptions(pool, applicationScheduler, PipeScheduler.Inline, settings.MaxReadBufferBytes, settings.MaxReadBufferBytes / 2, useSynchronizationContext: false));
        _output = new ReadinessSocketWriter(socket, failuresAsAborted: true);
        Transport = new DuplexPipe(_input.Reader, _output);
        Features = new FeatureCollection();
        Features.Set<IConnectionIdFeature>(this);
        Features.Set<IConnectionTransportFeature>(this);
        Features.Set<IConnectionItemsFeature>(this);
        Features.Set<IConnectionLifetimeFeature>(this);
        Features.Set<IConnectionEndPointFeature>(this);
        Features.Set<IMemoryPoolFeature>(this);
    }

    /// <inheritdoc/>
    public override string ConnectionId
    {
        get => _id ??= Interlocked.Increment(ref _lastId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        set => _id = value;
    }

    /// <inheritdoc/>
    public override IFeatureCollection Features { get; }

    /// <inheritdoc/>
    public override IDictionary<object, object?> Items
    {
        get => _items ??= new Dictionary<object, object?>();
        set => _items = value;
    }

    /// <inheritdoc/>
    public override IDuplexPipe Transport { get; set; }

    /// <inheritdoc/>
    public override CancellationToken ConnectionClosed
    {
        get => _closed.Token;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc/>
    public override EndPoint? LocalEndPoint { get; set; }

    /// <inheritdoc/>
    public override EndPoint? RemoteEndPoint { get; set; }

    /// <inheritdoc/>
    public MemoryPool<byte> MemoryPool { get; }

    /// <summary>Starts receiving.</summary>
    public void Start() => _receiving = ReceiveAsync();

    /// <inheritdoc/>
    public override void Abort(ConnectionAbortedException abortReason) => _socket.Abort();

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        _input.Reader.Complete();
        await _output.CompleteAsync().ConfigureAwait(false);
        await _receiving.ConfigureAwait(false);
        _socket.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private async Task ReceiveAsync()
    {
        Exception? error = null;
        var input = _input.Writer;
        try
        {
            while (true)
            {
                await _socket.WaitReadableAsync().ConfigureAwait(false);
                var buffer = input.GetMemory(MinReceiveBuffer);
                var count = _socket.Receive(buffer.Span);
                if (count == 0)
                {
                    break;
                }

                if (count > 0)
                {
                    input.Advance(count);
                    var flushed = await input.FlushAsync().ConfigureAwait(false);
                    if (flushed.IsCompleted || flushed.IsCanceled)
                    {
                        break;
                    }
                }
            }
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown })
        {
            error = new ConnectionResetException(ex.Message, ex);
        }
        catch (ObjectDisposedException)
        {
            error = new ConnectionAbortedException();
        }
        catch (Exception ex)
        {
            error = ex as IOException ?? new IOException(ex.Message, ex);
        }
        finally
        {
            await input.CompleteAsync(error).ConfigureAwait(false);
            ThreadPool.UnsafeQueueUserWorkItem(static closed => closed.Cancel(), _closed, preferLocal: false);
        }
    }

    /// <summary>The application's ends of the two pipes.</summary>
    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
