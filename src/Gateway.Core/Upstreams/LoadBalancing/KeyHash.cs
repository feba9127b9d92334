namespace Gateway.Core.Upstreams.LoadBalancing;

/// <summary>
/// The 64-bit hash consistent hashing places keys and destinations with: FNV-1a, then a finalizing mix so nearby inputs
/// spread over the ring. The same on every gateway instance and every run, so instances agree where a key goes.
/// </summary>
public static class KeyHash
{
    /// <summary>The hash of <paramref name="bytes"/>.</summary>
    public static ulong Of(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return Mix(hash);
    }

    /// <summary>The hash of <paramref name="seed"/> and <paramref name="index"/> together (a destination's n-th point on the ring).</summary>
    public static ulong Of(ulong seed, int index) => Mix(seed ^ ((ulong)(index + 1) * 0x9E3779B97F4A7C15UL));

    private static ulong Mix(ulong value)
    {
        value ^= value >> 33;
        value *= 0xFF51AFD7ED558CCDUL;
        value ^= value >> 33;
        value *= 0xC4CEB9FE1A85EC53UL;
        return value ^ (value >> 33);
    }
}
