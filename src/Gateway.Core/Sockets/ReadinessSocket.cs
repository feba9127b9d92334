using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Gateway.Core.Async;
using static Gateway.Core.Sockets.LinuxSocketCalls;

namespace Gateway.Core.Sockets;

/// <summary>
/// A non-blocking TCP socket read and written only when epoll says it can be (<see cref="ReadinessLoop"/>), the way nginx
/// does it. A read that got less than it asked for drained the socket, so the next read waits for the next event instead of
/// trying first: .NET's sockets try every read before they wait, so each read that must wait costs a system call that
/// answers <c>EAGAIN</c>, one per request and side of a proxy.
/// </summary>
public sealed class ReadinessSocket : IDisposable
{
    private readonly Socket _socket;
    private readonly ReadinessLoop _loop;
    private readonly ReadinessSignal _readable = new();
    private readonly ReadinessSignal _writable = new();
    private bool _mayHoldBytes;
    private volatile bool _hungUp;
    private Action? _onHangUp;
    private int _disposed;

    private ReadinessSocket(Socket socket)
    {
        _socket = socket;
        _socket.Blocking = false;
        _loop = ReadinessLoop.Pick();
        _loop.Watch(this);
    }

    /// <summary>The socket's handle, for the system calls.</summary>
    internal SafeSocketHandle Handle => _socket.SafeHandle;

    /// <summary>Where the loop keeps this socket.</summary>
    internal int Slot { get; set; }

    /// <summary>The peer's address.</summary>
    public EndPoint? RemoteEndPoint => _socket.RemoteEndPoint;

    /// <summary>This side's address.</summary>
    public EndPoint? LocalEndPoint => _socket.LocalEndPoint;

    /// <summary>Takes over an accepted connection (epoll reports at once whatever it already holds).</summary>
    public static ReadinessSocket Accepted(Socket socket) => new(socket);

    /// <summary>Connects to <paramref name="endPoint"/> (each address of a host name in turn) without blocking.</summary>
    public static async ValueTask<ReadinessSocket> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken)
    {
        if (endPoint is DnsEndPoint host)
        {
            var addresses = await Dns.GetHostAddressesAsync(host.Host, cancellationToken).ConfigureAwait(false);
            if (addresses.Length == 0)
            {
                throw new SocketException((int)SocketError.HostNotFound);
            }

            for (var i = 0; ; i++)
            {
                try
                {
                    return await ConnectAsync(new IPEndPoint(addresses[i], host.Port), cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException) when (i < addresses.Length - 1)
                {
                    // Try the next address.
                }
            }
        }

        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, Blocking = false };
        ReadinessSocket? connection = null;
        try
        {
            try
            {
                socket.Connect(endPoint);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
            {
                // Under way: epoll reports the socket writable once it is connected or failed.
            }

            connection = new ReadinessSocket(socket);
            await connection._writable.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error) is int error and not 0)
            {
                // .NET reads SO_ERROR as a SocketError already.
                throw new SocketException(error);
            }

            return connection;
        }
        catch
        {
            if (connection is null)
            {
                socket.Dispose();
            }
            else
            {
                connection.Dispose();
            }

            throw;
        }
    }

    /// <summary>Waits until a read may find bytes: at once after a read that filled its buffer, else until epoll reports some.</summary>
    public ValueTask WaitReadableAsync(CancellationToken cancellationToken = default)
    {
        if (_mayHoldBytes)
        {
            // Read without waiting: readiness reported before this read is about bytes it will take.
            _readable.Clear();
            return default;
        }

        _mayHoldBytes = true;
        return _readable.WaitAsync(cancellationToken);
    }

    /// <summary>Reads what the socket holds, after <see cref="WaitReadableAsync"/>: the count, 0 at the end of the stream, -1 when a spurious wake-up found nothing.</summary>
    public int Receive(Span<byte> buffer)
    {
        var count = LinuxSocketCalls.Receive(Handle, buffer);

        // After a hang-up no event follows the bytes left, so the end of the stream is read without waiting; once read, it
        // is read again at once.
        _mayHoldBytes = count == 0 || (count > 0 && (count == buffer.Length || _hungUp));
        return count;
    }

    /// <summary>Reads at least one byte into <paramref name="buffer"/>, waiting for them; 0 at the end of the stream (or at once for an empty buffer, once bytes are there).</summary>
    /// <remarks>Its state machine, when it waits (as an upstream response's read does), is boxed from a shared pool: no allocation per read.</remarks>
    [AsyncMethodBuilder(typeof(SharedPoolValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            // A zero-byte read (as TLS makes) only waits for bytes; the next read takes them without waiting.
            await WaitReadableAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }

        while (true)
        {
            await WaitReadableAsync(cancellationToken).ConfigureAwait(false);
            var count = Receive(buffer.Span);
            if (count >= 0)
            {
                return count;
            }
        }
    }

    /// <summary>Writes all of <paramref name="buffer"/>, waiting for room when the socket's send buffer is full.</summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var sent = SendSome(buffer.Span);
        return sent == buffer.Length ? default : SendRestAsync(buffer[sent..], cancellationToken);
    }

    /// <summary>Writes what the socket's send buffer takes of <paramref name="buffer"/> now: the count, 0 when it is full (then <see cref="WaitWritableAsync"/>).</summary>
    public int SendSome(ReadOnlySpan<byte> buffer)
    {
        // Forget a readiness reported before this attempt: if the buffer is full now, the next event is about room after it.
        _writable.Clear();
        return LinuxSocketCalls.Send(Handle, buffer);
    }

    /// <summary>Waits until epoll reports room in the socket's send buffer (or the connection's end), after a send that found it full.</summary>
    public ValueTask WaitWritableAsync(CancellationToken cancellationToken) => _writable.WaitAsync(cancellationToken);

    /// <summary>Writes <paramref name="buffer"/> without waiting: false when the socket's send buffer could not take all of it.</summary>
    public bool TrySend(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var sent = LinuxSocketCalls.Send(Handle, buffer);
            if (sent == 0)
            {
                return false;
            }

            buffer = buffer[sent..];
        }

        return true;
    }

    private async ValueTask SendRestAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            await WaitWritableAsync(cancellationToken).ConfigureAwait(false);
            buffer = buffer[SendSome(buffer.Span)..];
        }
    }

    /// <summary>
    /// Has <paramref name="callback"/> called once when the connection ends: the peer closed or reset it, or this side cut it
    /// (at once if that was already reported). It runs on the epoll thread, so it must only hand the news on.
    /// </summary>
    public void OnHangUp(Action callback)
    {
        Interlocked.Exchange(ref _onHangUp, callback);
        if (_hungUp)
        {
            Interlocked.Exchange(ref _onHangUp, null)?.Invoke();
        }
    }

    /// <summary>Wakes a read waiting for bytes as if epoll had reported some (it finds none and looks again, or sees why it was woken).</summary>
    public void InterruptRead() => _readable.Set();

    /// <summary>Wakes a write waiting for room as if epoll had reported some (it finds none and waits again, or sees why it was woken).</summary>
    public void InterruptWrite() => _writable.Set();

    /// <summary>Ends what this side sends (a FIN) while the peer may still send.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Cuts the connection: pending reads see its end, pending writes fail.</summary>
    public void Abort()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
    }

    /// <summary>Called on the epoll thread with what epoll reported.</summary>
    internal void OnEvents(uint events)
    {
        if ((events & (EpollRdHup | EpollHup | EpollErr)) != 0)
        {
            _hungUp = true;
            Interlocked.Exchange(ref _onHangUp, null)?.Invoke();
        }

        if ((events & (EpollIn | EpollRdHup | EpollHup | EpollErr)) != 0)
        {
            _readable.Set();
        }

        if ((events & (EpollOut | EpollHup | EpollErr)) != 0)
        {
            _writable.Set();
        }
    }

    /// <summary>Stops watching and closes the socket; a pending wait fails.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _loop.Unwatch(this);
        _readable.Close();
        _writable.Close();
        _socket.Dispose();
    }
}
