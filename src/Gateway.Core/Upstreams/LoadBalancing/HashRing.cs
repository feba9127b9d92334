using System.Text;

namespace Gateway.Core.Upstreams.LoadBalancing;

/// <summary>
/// A consistent-hash ring: each destination owns points in proportion to its weight, placed by hashing its address, and a
/// key belongs to the destination owning the first point at or after the key's hash. A destination that leaves gives up
/// only its own keys.
/// </summary>
public sealed class HashRing
{
    /// <summary>Points per unit of weight: enough for shares within a few percent of the weights.</summary>
    private const int PointsPerWeight = 160;

    /// <summary>The most points a ring holds, whatever the weights.</summary>
    private const int MaxPoints = 100_000;

    private readonly ulong[] _points;
    private readonly int[] _owners;

    /// <summary>
    /// A ring over <paramref name="members"/>, weighted by <paramref name="weights"/>. <paramref name="clusterWeight"/>, the total
    /// weight of the whole cluster (members or not), sets the points per unit of weight: a member's points are then the same
    /// whichever other destinations are missing, so those that stay keep their keys.
    /// </summary>
    public HashRing(Destination[] members, int[] weights, int clusterWeight)
    {
        var scale = Math.Min(1.0, MaxPoints / (double)(PointsPerWeight * Math.Max(clusterWeight, weights.Sum())));
        var ring = new List<(ulong Point, int Owner)>();
        for (var i = 0; i < members.Length; i++)
        {
            var seed = KeyHash.Of(Encoding.UTF8.GetBytes(members[i].Address));
            var count = Math.Max(1, (int)(PointsPerWeight * weights[i] * scale));
            for (var k = 0; k < count; k++)
            {
                ring.Add((KeyHash.Of(seed, k), i));
            }
        }

        ring.Sort();
        _points = [.. ring.Select(entry => entry.Point)];
        _owners = [.. ring.Select(entry => entry.Owner)];
    }

    /// <summary>The index of the member that owns <paramref name="hash"/>.</summary>
    public int OwnerOf(ulong hash)
    {
        var index = Array.BinarySearch(_points, hash);
        if (index < 0)
        {
            index = ~index;
        }

        return _owners[index == _points.Length ? 0 : index];
    }
}
