using System.Text;

namespace Gateway.Core.Upstreams.LoadBalancing;

/// <summary>What a consistent-hashing cluster hashes a request by: a header's value, a cookie's value, or the client's address.</summary>
/// <param name="Kind">Where the key is.</param>
/// <param name="Name">The header or cookie name; empty for the client address.</param>
public sealed record HashKey(HashKeyKind Kind, string Name)
{
    /// <summary>The name as bytes, for matching in a request head.</summary>
    public byte[] NameBytes { get; } = Encoding.ASCII.GetBytes(Name);
}
