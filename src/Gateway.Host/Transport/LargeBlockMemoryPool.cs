using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Gateway.Host.Transport;

/// <summary>
/// The memory Kestrel's pipes on the public listeners use (the socket transport's reads and writes, TLS, HTTP/2): pinned
/// blocks of <see cref="BlockSize"/> bytes, where Kestrel's own pool has 4 KiB ones, so that a large request body arrives in a
/// few large reads instead of many small ones (each read from a client is at most one block). The epoll transport's reader
/// and writer rent their own buffers of the same size from the shared array pool. A connection holds a block only while bytes are in flight: an idle one waits
/// for data before it takes one. Freed blocks are kept for reuse up to <see cref="MaxKeptBlocks"/>; beyond that they go to the
/// garbage collector.
/// </summary>
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    /// <summary>Bytes in a block.</summary>
    public const int BlockSize = 32 * 1024;

    /// <summary>Most free blocks kept for reuse (16 MiB).</summary>
    private const int MaxKeptBlocks = 512;

    private readonly ConcurrentQueue<Block> _free = new();
    private int _kept;

    /// <inheritdoc/>
    public override int MaxBufferSize => BlockSize;

    /// <inheritdoc/>
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _kept);
            return block;
        }

        return new Block(this);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        // Blocks still rented are returned to a queue nobody reads any more; the garbage collector takes them all.
    }

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _kept) <= MaxKeptBlocks)
        {
            _free.Enqueue(block);
        }
        else
        {
            Interlocked.Decrement(ref _kept);
        }
    }

    /// <summary>One pinned block; disposing it gives it back to its pool.</summary>
    private sealed class Block(LargeBlockMemoryPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);

        /// <inheritdoc/>
        public Memory<byte> Memory => _array;

        /// <inheritdoc/>
        public void Dispose() => pool.Return(this);
    }
}

/// <summary>Hands Kestrel the gateway's <see cref="LargeBlockMemoryPool"/> (one for the whole process) for its listeners.</summary>
internal sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    private static readonly LargeBlockMemoryPool Pool = new();

    /// <inheritdoc/>
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => Pool;
}
