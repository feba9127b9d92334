using System.Collections.Concurrent;
using static Gateway.Core.Sockets.LinuxSocketCalls;

namespace Gateway.Core.Sockets;

/// <summary>
/// An epoll instance and its thread, which readiness sockets are watched on, edge-triggered: each event sets the socket's
/// read or write signal, and the code waiting on it runs on in this thread. The process has one loop per core it may run
/// on (at most 16), started on first use.
/// </summary>
internal sealed class ReadinessLoop
{
    private const int EventsPerWait = 256;
    private const int MostLoops = 16;

    private static readonly Lazy<ReadinessLoop[]> Loops = new(StartLoops);

    [ThreadStatic]
    private static ReadinessLoop? _current;

    private static int _lastPicked;

    private readonly int _epoll;
    private readonly Lock _slotsLock = new();
    private readonly Stack<int> _freeSlots = new();
    private readonly ConcurrentQueue<int> _released = new();
    private ReadinessSocket?[] _slots = new ReadinessSocket?[1024];
    private int _usedSlots;

    private ReadinessLoop(int number)
    {
        _epoll = CreateEpoll();
        new Thread(Run) { IsBackground = true, Name = $"Gateway epoll {number}" }.Start();
    }

    /// <summary>
    /// The loop for a new socket: the calling thread's own when it is a loop's (an upstream connection opened for a request
    /// stays on the thread that serves that request), else the next in turn.
    /// </summary>
    public static ReadinessLoop Pick()
    {
        if (_current is { } current)
        {
            return current;
        }

        var loops = Loops.Value;
        return loops[(int)((uint)Interlocked.Increment(ref _lastPicked) % (uint)loops.Length)];
    }

    private static ReadinessLoop[] StartLoops()
    {
        var loops = new ReadinessLoop[Math.Clamp(Environment.ProcessorCount, 1, MostLoops)];
        for (var i = 0; i < loops.Length; i++)
        {
            loops[i] = new ReadinessLoop(i);
        }

        return loops;
    }

    /// <summary>Starts watching <paramref name="socket"/>; its signals are set from now on.</summary>
    public void Watch(ReadinessSocket socket)
    {
        int slot;
        lock (_slotsLock)
        {
            if (!_freeSlots.TryPop(out slot))
            {
                slot = _usedSlots++;
                if (slot == _slots.Length)
                {
                    var grown = new ReadinessSocket?[_slots.Length * 2];
                    _slots.CopyTo(grown, 0);
                    Volatile.Write(ref _slots, grown);
                }
            }

            _slots[slot] = socket;
        }

        socket.Slot = slot;
        try
        {
            LinuxSocketCalls.Watch(_epoll, socket.Handle, (ulong)slot);
        }
        catch
        {
            Release(slot);
            throw;
        }
    }

    /// <summary>
    /// Stops watching <paramref name="socket"/> (before it is closed). Its slot is freed by the loop's thread once it has
    /// handled the events it already took, so none of them can reach the slot's next socket.
    /// </summary>
    public void Unwatch(ReadinessSocket socket)
    {
        LinuxSocketCalls.Unwatch(_epoll, socket.Handle);
        _released.Enqueue(socket.Slot);
    }

    private void Release(int slot)
    {
        lock (_slotsLock)
        {
            _slots[slot] = null;
            _freeSlots.Push(slot);
        }
    }

    private void Run()
    {
        _current = this;
        Span<EpollEvent> events = stackalloc EpollEvent[EventsPerWait];
        while (true)
        {
            var count = Wait(_epoll, events);
            var slots = Volatile.Read(ref _slots);
            for (var i = 0; i < count; i++)
            {
                var slot = (int)events[i].Data;
                if (slot < slots.Length && slots[slot] is { } socket)
                {
                    socket.OnEvents(events[i].Events);
                }
            }

            while (_released.TryDequeue(out var slot))
            {
                Release(slot);
            }
        }
    }
}
