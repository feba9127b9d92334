using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Gateway.Core.Configuration;
using Gateway.Core.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Host.Transport;

/// <summary>
/// One accepted client connection of the readiness transport, as Kestrel sees it: a reader that receives when the
/// application reads (<see cref="ReadinessSocketReader"/>; an idle connection holds no buffer) and a writer whose flushes go
/// straight to the socket (<see cref="ReadinessSocketWriter"/>), both on the thread that reads or flushes, no loop between.
/// The connection's end (the client closing or resetting it, or the gateway cutting it) is reported by epoll as it happens,
/// read or not, and cancels <see cref="ConnectionClosed"/>.
/// </summary>
internal sealed class ReadinessConnection : ConnectionContext, IConnectionIdFeature, IConnectionTransportFeature, IConnectionItemsFeature,
    IConnectionLifetimeFeature, IConnectionEndPointFeature, IMemoryPoolFeature
{
    private static long _lastId;

    private readonly ReadinessSocket _socket;
    private readonly ReadinessSocketReader _input;
    private readonly ReadinessSocketWriter _output;
    // Never disposed: it has no timer, and its cancellation is queued when epoll reports the end, which may be after disposal.
    private readonly CancellationTokenSource _closed = new();
    private IDictionary<object, object?>? _items;
    private string? _id;

    public ReadinessConnection(ReadinessSocket socket, MemoryPool<byte> pool, TransportSettings settings)
    {
        _socket = socket;
        MemoryPool = pool;
        LocalEndPoint = socket.LocalEndPoint;
        RemoteEndPoint = socket.RemoteEndPoint;
        _input = new ReadinessSocketReader(socket, settings.MaxReadBufferBytes);
        _output = new ReadinessSocketWriter(socket, failuresAsAborted: true);
        Transport = new DuplexPipe(_input, _output);
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

    /// <summary>Starts watching for the connection's end.</summary>
    public void Start() =>
        _socket.OnHangUp(() => ThreadPool.UnsafeQueueUserWorkItem(static closed => closed.Cancel(), _closed, preferLocal: false));

    /// <inheritdoc/>
    public override void Abort(ConnectionAbortedException abortReason) => _socket.Abort();

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        _input.Complete();
        await _output.CompleteAsync().ConfigureAwait(false);
        _socket.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The application's reader and writer.</summary>
    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
