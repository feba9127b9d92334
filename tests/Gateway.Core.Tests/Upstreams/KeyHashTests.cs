using System.Text;
using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>
/// The key hash is fixed for all time (64-bit FNV-1a, then the MurmurHash3 finalizer), so every gateway instance, whatever
/// its version or process, sends a key to the same destination. The expected values were computed apart from this code, by
/// a short script following the published definitions (its FNV-1a of "a", before the finalizer, is the published 0xaf63dc4c8601ec8c).
/// </summary>
public sealed class KeyHashTests
{
    [Theory]
    [InlineData("", 0xefd01f60ba992926UL)]
    [InlineData("a", 0x82a2a958a9bece5bUL)]
    [InlineData("user-42", 0xa39532c7ab051e8dUL)]
    [InlineData("203.0.113.7", 0x987c7c1923965adeUL)]
    public void AKeyHashesToItsKnownValue(string key, ulong expected)
    {
        Assert.Equal(expected, KeyHash.Of(Encoding.ASCII.GetBytes(key)));
    }

    [Fact]
    public void RingPointsHashToTheirKnownValues()
    {
        Assert.Equal(0x9ca066f1a4ab2eeaUL, KeyHash.Of(0UL, 0));
        Assert.Equal(0xc5175256cb3bf91fUL, KeyHash.Of(KeyHash.Of("http://10.0.0.1:80"u8), 0));
    }

    [Fact]
    public void NearbyKeysLandFarApart()
    {
        var one = KeyHash.Of("user-1"u8);
        var two = KeyHash.Of("user-2"u8);

        // The finalizer spreads a one-character change over the whole word: about half the bits differ.
        Assert.InRange(ulong.PopCount(one ^ two), 16UL, 48UL);
    }
}
