namespace Gateway.Core.Upstreams.LoadBalancing;

/// <summary>
/// The destinations a cluster balances over at one moment (the available ones, or all of them in panic) with their
/// weights, made when health changes so that each pick only reads it.
/// </summary>
public sealed class DestinationSet
{
    private readonly int[] _cumulativeWeights;

    /// <summary>
    /// A set of <paramref name="members"/> weighted by <paramref name="weights"/>, with a hash ring when <paramref name="withRing"/>
    /// (whose points per unit of weight follow <paramref name="clusterWeight"/>, the total weight of the whole cluster).
    /// </summary>
    public DestinationSet(Destination[] members, int[] weights, bool withRing, int clusterWeight)
    {
        Members = members;
        Weights = weights;
        _cumulativeWeights = new int[members.Length];
        var total = 0;
        for (var i = 0; i < members.Length; i++)
        {
            total += weights[i];
            _cumulativeWeights[i] = total;
        }

        TotalWeight = total;
        Weighted = weights.Any(weight => weight != weights[0]);
        Stride = StrideFor(total);
        Ring = withRing ? new HashRing(members, weights, clusterWeight) : null;
    }

    /// <summary>The destinations, in the configuration's order; never empty.</summary>
    public Destination[] Members { get; }

    /// <summary>Each member's weight.</summary>
    public int[] Weights { get; }

    /// <summary>The sum of the weights.</summary>
    public int TotalWeight { get; }

    /// <summary>False when every member weighs the same.</summary>
    public bool Weighted { get; }

    /// <summary>The consistent-hash ring over the members, or null when the cluster does not hash.</summary>
    public HashRing? Ring { get; }

    /// <summary>The member that owns <paramref name="point"/> (0 to <see cref="TotalWeight"/> - 1) when the members' weights are laid end to end.</summary>
    public int IndexAtWeight(int point)
    {
        var index = Array.BinarySearch(_cumulativeWeights, point + 1);
        return index >= 0 ? index : ~index;
    }

    /// <summary>
    /// A step coprime with <see cref="TotalWeight"/>, near 0.618 of it: stepping through the weight points by it visits
    /// each once per cycle while interleaving the members, instead of giving each its whole weight in a row.
    /// </summary>
    public int Stride { get; }

    /// <summary>A member picked at random, by weight.</summary>
    public int RandomIndex() => Weighted ? IndexAtWeight(Random.Shared.Next(TotalWeight)) : Random.Shared.Next(Members.Length);

    private static int StrideFor(int total)
    {
        for (var stride = Math.Max(1, (int)(total * 0.618)); stride < total; stride++)
        {
            var (a, b) = (total, stride);
            while (b != 0)
            {
                (a, b) = (b, a % b);
            }

            if (a == 1)
            {
                return stride;
            }
        }

        return 1;
    }
}
