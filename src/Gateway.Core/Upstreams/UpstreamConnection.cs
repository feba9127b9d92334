using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using Gateway.Core.Sockets;

namespace Gateway.Core.Upstreams;

/// <summary>
/// One open HTTP/1.1 connection to a destination (TCP, or TLS over it), read and written through a pipe reader and
/// writer. It carries one exchange at a time; the forwarder returns it to its pool only when that exchange ended cleanly.
/// </summary>
public sealed class UpstreamConnection : IDisposable
{
    private static readonly StreamPipeWriterOptions WriterOptions = new(minimumBufferSize: 4096, leaveOpen: true);

    private readonly Socket? _socket;
    private readonly ReadinessSocket? _readiness;
    private readonly Stream _stream;
    private readonly UpstreamReader _input;
    private int _disposed;

    private UpstreamConnection(Socket? socket, ReadinessSocket? readiness, Stream stream)
    {
        OpenedAt = Environment.TickCount64;
        _socket = socket;
        _readiness = readiness;
        _stream = stream;
        _input = new UpstreamReader(stream, Abort);
        // Plain TCP on the readiness transport: a flush is a send on the socket, with no stream and no task between.
        Output = readiness is not null && stream is ReadinessStream
            ? new ReadinessSocketWriter(readiness, failuresAsAborted: false)
            : PipeWriter.Create(stream, WriterOptions);
    }

    /// <summary>Bytes from the upstream.</summary>
    public PipeReader Input => _input;

    /// <summary>Reads the next body bytes straight into <paramref name="destination"/> (bytes <see cref="Input"/> already holds first); 0 once the upstream closed.</summary>
    internal ValueTask<int> ReadIntoAsync(Memory<byte> destination, CancellationToken cancellationToken) =>
        _input.ReadIntoAsync(destination, cancellationToken);

    /// <summary>Bytes to the upstream; nothing is sent until it is flushed.</summary>
    public PipeWriter Output { get; }

    /// <summary>True once this connection carried an exchange and went back to the pool (a reused connection may have been closed by the upstream meanwhile).</summary>
    public bool Reused { get; private set; }

    /// <summary>When the connection was opened (<see cref="Environment.TickCount64"/>).</summary>
    internal long OpenedAt { get; }

    /// <summary>When the connection was last returned to its pool (<see cref="Environment.TickCount64"/>).</summary>
    internal long IdleSince { get; private set; }

    /// <summary>Opens a connection to <paramref name="address"/> on <paramref name="transport"/>, with <paramref name="tls"/> for https; gives up after <paramref name="connectTimeout"/>.</summary>
    public static async Task<UpstreamConnection> ConnectAsync(
        UpstreamAddress address, UpstreamTls tls, TimeSpan connectTimeout, TransportKind transport, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(connectTimeout);
        Socket? socket = null;
        ReadinessSocket? readiness = null;
        Stream? stream = null;
        try
        {
            if (transport == TransportKind.Epoll)
            {
                readiness = await ReadinessSocket.ConnectAsync(address.EndPoint, timeout.Token).ConfigureAwait(false);
                stream = new ReadinessStream(readiness);
            }
            else
            {
                socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(address.EndPoint, timeout.Token).ConfigureAwait(false);
                stream = new NetworkStream(socket, ownsSocket: true);
            }

            if (address.Tls)
            {
                var secured = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = secured;
                await secured.AuthenticateAsClientAsync(tls.OptionsFor(address.Host), timeout.Token).ConfigureAwait(false);
            }

            return new UpstreamConnection(socket, readiness, stream);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await DisposeQuietlyAsync(socket, stream).ConfigureAwait(false);
            throw new UpstreamConnectException($"Connecting to {address.Host}:{address.Port} took longer than {connectTimeout.TotalSeconds:0.###} s.");
        }
        catch (Exception ex) when (ex is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            await DisposeQuietlyAsync(socket, stream).ConfigureAwait(false);
            throw new UpstreamConnectException($"Connecting to {address.Host}:{address.Port} failed: {ex.Message}", ex);
        }
        catch
        {
            await DisposeQuietlyAsync(socket, stream).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// True when <paramref name="failure"/> says the upstream closed or reset the connection under an exchange before
    /// answering it: on a reused connection, one that went stale while idle (an idempotent request may go once more on a
    /// new connection).
    /// </summary>
    internal static bool LostBeforeAnswer(Exception failure) =>
        failure is UpstreamClosedException { BeforeAnyByte: true } or IOException { InnerException: SocketException };

    /// <summary>
    /// Claims an idle connection for a request: true when the upstream has neither closed it nor sent anything unasked.
    /// No system call: the read posted when the connection went idle would have ended on either.
    /// </summary>
    internal bool TryTakeIdle() => _input.TryTakeIdle();

    /// <summary>Marks the connection idle in its pool and posts the read that watches it while idle.</summary>
    internal void MarkIdle()
    {
        Reused = true;
        IdleSince = Environment.TickCount64;
        _input.ReadAhead();
    }

    /// <summary>
    /// Ends what the gateway sends on the connection (TLS close_notify, then a TCP FIN) while the upstream may still send: the
    /// half-close of a tunnel whose client ended its side. A connection already gone is left as it is.
    /// </summary>
    internal async ValueTask ShutdownOutputAsync()
    {
        try
        {
            if (_stream is SslStream tls)
            {
                await tls.ShutdownAsync().ConfigureAwait(false);
            }

            if (_readiness is not null)
            {
                _readiness.ShutdownSend();
            }
            else
            {
                _socket!.Shutdown(SocketShutdown.Send);
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
        {
            // Already closed: nothing more can be sent anyway.
        }
    }

    /// <summary>Cuts the connection at once, failing any pending read or write (used when the exchange can no longer finish).</summary>
    public void Abort()
    {
        if (_readiness is not null)
        {
            _readiness.Abort();
            _readiness.Dispose();
            return;
        }

        try
        {
            _socket!.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        _socket!.Dispose();
    }

    /// <summary>Closes the connection; unsent bytes are dropped.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Abort();
        try
        {
            Input.Complete();
            Output.Complete();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or OperationCanceledException)
        {
            // The socket is already gone; unsent bytes have nowhere to go.
        }

        _stream.Dispose();
    }

    /// <summary>Closes what a failed connect opened (a readiness socket is owned by its stream).</summary>
    private static async ValueTask DisposeQuietlyAsync(Socket? socket, Stream? stream)
    {
        if (stream is not null)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }

        socket?.Dispose();
    }
}
