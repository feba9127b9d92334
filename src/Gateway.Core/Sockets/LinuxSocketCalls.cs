using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Gateway.Core.Sockets;

/// <summary>The Linux system calls the readiness transport makes itself: epoll, and reads and writes that never wait.</summary>
internal static unsafe partial class LinuxSocketCalls
{
    public const uint EpollIn = 0x001;
    public const uint EpollOut = 0x004;
    public const uint EpollErr = 0x008;
    public const uint EpollHup = 0x010;
    public const uint EpollRdHup = 0x2000;
    public const uint EpollEdgeTriggered = 1u << 31;

    private const int EpollCloexec = 0x80000;
    private const int EpollCtlAdd = 1;
    private const int EpollCtlDel = 2;
    private const int MsgNoSignal = 0x4000;

    private const int EINTR = 4;
    private const int EAGAIN = 11;

    /// <summary>One event from <c>epoll_wait</c> (packed on x86-64, as the kernel lays it out).</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    public struct EpollEvent
    {
        public uint Events;
        public ulong Data;
    }

    /// <summary>A new epoll instance.</summary>
    public static int CreateEpoll()
    {
        var fd = epoll_create1(EpollCloexec);
        return fd >= 0 ? fd : throw Failure("epoll_create1");
    }

    /// <summary>Watches <paramref name="socket"/> on <paramref name="epoll"/> for reads, writes and hang-ups, edge-triggered, reporting <paramref name="token"/>.</summary>
    public static void Watch(int epoll, SafeSocketHandle socket, ulong token)
    {
        var ev = new EpollEvent { Events = EpollIn | EpollOut | EpollRdHup | EpollEdgeTriggered, Data = token };
        if (epoll_ctl(epoll, EpollCtlAdd, socket, &ev) != 0)
        {
            throw Failure("epoll_ctl");
        }
    }

    /// <summary>Stops watching <paramref name="socket"/> (quietly: a socket already closed is no longer watched anyway).</summary>
    public static void Unwatch(int epoll, SafeSocketHandle socket)
    {
        try
        {
            epoll_ctl(epoll, EpollCtlDel, socket, null);
        }
        catch (ObjectDisposedException)
        {
            // Closed by its owner already, which ended the watch.
        }
    }

    /// <summary>Waits for events; the count, 0 when interrupted.</summary>
    public static int Wait(int epoll, Span<EpollEvent> events)
    {
        fixed (EpollEvent* first = events)
        {
            var count = epoll_wait(epoll, first, events.Length, -1);
            if (count >= 0)
            {
                return count;
            }

            return Marshal.GetLastPInvokeError() == EINTR ? 0 : throw Failure("epoll_wait");
        }
    }

    /// <summary>Reads what the socket holds into <paramref name="buffer"/>: the count, 0 at the end of the stream, -1 when nothing is there yet; a failure is an <see cref="IOException"/>.</summary>
    public static int Receive(SafeSocketHandle socket, Span<byte> buffer)
    {
        fixed (byte* first = buffer)
        {
            while (true)
            {
                var count = recv(socket, first, buffer.Length, 0);
                if (count >= 0)
                {
                    return (int)count;
                }

                var error = Marshal.GetLastPInvokeError();
                if (error != EINTR)
                {
                    return error == EAGAIN ? -1 : throw TransferFailure("Receiving from", error);
                }
            }
        }
    }

    /// <summary>Writes what the socket takes of <paramref name="buffer"/>: the count, 0 when its send buffer is full; a failure is an <see cref="IOException"/>.</summary>
    public static int Send(SafeSocketHandle socket, ReadOnlySpan<byte> buffer)
    {
        fixed (byte* first = buffer)
        {
            while (true)
            {
                var count = send(socket, first, buffer.Length, MsgNoSignal);
                if (count >= 0)
                {
                    return (int)count;
                }

                var error = Marshal.GetLastPInvokeError();
                if (error != EINTR)
                {
                    return error == EAGAIN ? 0 : throw TransferFailure("Sending on", error);
                }
            }
        }
    }

    private static SocketException Failure(string call) => new((int)ErrorOf(Marshal.GetLastPInvokeError()), $"{call} failed: {Marshal.GetLastPInvokeErrorMessage()}");

    /// <summary>
    /// A failed receive or send as streams report it, an <see cref="IOException"/> around the <see cref="SocketException"/>
    /// (as .NET's NetworkStream does): what callers written for streams catch, and how they tell a reset connection.
    /// </summary>
    private static IOException TransferFailure(string doing, int errno)
    {
        var error = new SocketException((int)ErrorOf(errno));
        return new IOException($"{doing} the connection failed: {error.Message}", error);
    }

    /// <summary>The socket error for a Linux errno.</summary>
    private static SocketError ErrorOf(int errno) => errno switch
    {
        9 => SocketError.OperationAborted,      // EBADF: closed under us
        32 => SocketError.Shutdown,             // EPIPE
        103 => SocketError.ConnectionAborted,   // ECONNABORTED
        104 => SocketError.ConnectionReset,     // ECONNRESET
        101 => SocketError.NetworkUnreachable,  // ENETUNREACH
        107 => SocketError.NotConnected,        // ENOTCONN
        110 => SocketError.TimedOut,            // ETIMEDOUT
        111 => SocketError.ConnectionRefused,   // ECONNREFUSED
        113 => SocketError.HostUnreachable,     // EHOSTUNREACH
        _ => SocketError.SocketError,
    };

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_ctl(int epfd, int op, SafeSocketHandle fd, EpollEvent* ev);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_wait(int epfd, EpollEvent* events, int maxevents, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint recv(SafeSocketHandle fd, byte* buf, nint len, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint send(SafeSocketHandle fd, byte* buf, nint len, int flags);
}
