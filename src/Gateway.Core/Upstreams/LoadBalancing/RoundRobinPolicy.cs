namespace Gateway.Core.Upstreams.LoadBalancing;

/// <summary>Takes the destinations in turn, lock-free; with weights, each gets its weight's share of every cycle, interleaved with the others.</summary>
public sealed class RoundRobinPolicy : ILoadBalancingPolicy
{
    private uint _next;

    /// <inheritdoc/>
    public int Pick(DestinationSet available, ulong? key)
    {
        var turn = Interlocked.Increment(ref _next) - 1;
        return available.Weighted
            ? available.IndexAtWeight((int)((ulong)turn * (uint)available.Stride % (uint)available.TotalWeight))
            : (int)(turn % (uint)available.Members.Length);
    }
}
