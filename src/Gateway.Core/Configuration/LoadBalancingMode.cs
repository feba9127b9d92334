namespace Gateway.Core.Configuration;

/// <summary>How a cluster picks the destination for a request among those available, by weight.</summary>
public enum LoadBalancingMode
{
    /// <summary>Each destination in turn, as often as its weight says.</summary>
    RoundRobin,

    /// <summary>The less busy (fewer requests in flight per weight) of two destinations picked at random.</summary>
    PowerOfTwoChoices,

    /// <summary>A destination picked at random, by weight.</summary>
    Random,

    /// <summary>The first available destination in the order listed.</summary>
    First,

    /// <summary>The destination with the fewest requests in flight per weight.</summary>
    LeastRequests,

    /// <summary>The destination a key (header, cookie or client address) hashes to; one that leaves moves only its own keys.</summary>
    ConsistentHash,
}
