using System.Security.Cryptography;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>Deterministic test bodies that the client and the upstream can both regenerate from their size, and their digests.</summary>
internal static class Payload
{
    /// <summary>One mebibyte.</summary>
    public const int MiB = 1024 * 1024;

    /// <summary>Pseudo-random bytes (every byte value occurs, including CR, LF and NUL) determined by <paramref name="size"/> and <paramref name="seed"/>.</summary>
    public static byte[] Create(int size, int seed = 0)
    {
        var bytes = new byte[size];
        var state = ((uint)size * 2654435761u) ^ (uint)seed;
        state = state == 0 ? 0x6D2B79F5u : state;
        for (var i = 0; i < bytes.Length; i++)
        {
            // xorshift32: fast, reproducible, and not a security concern here.
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            bytes[i] = (byte)state;
        }

        return bytes;
    }

    /// <summary>The lower-case hex SHA-256 of <paramref name="data"/>.</summary>
    public static string Sha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
