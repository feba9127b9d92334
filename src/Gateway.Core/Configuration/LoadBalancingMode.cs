namespace Gateway.Core.Configuration;

/// <summary>How a cluster picks the destination for a request.</summary>
public enum LoadBalancingMode
{
    /// <summary>Each destination in turn.</summary>
    RoundRobin,

    /// <summary>The less busy of two destinations picked at random.</summary>
    PowerOfTwoChoices,

    /// <summary>A destination picked at random.</summary>
    Random,

    /// <summary>The first available destination in the order listed.</summary>
    First,
}
